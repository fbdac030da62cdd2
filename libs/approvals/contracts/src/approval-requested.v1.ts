import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const CONTRACT_FEATURES = ['uniform', 'vehicle', 'equipment', 'office-premises'] as const;

export class JurisdictionV1 {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsOptional() @IsString() unitId?: string;
}

export class RequesterV1 {
  @IsString() @IsNotEmpty() id!: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

/** The policy pack version and clauses a request or decision rests on. */
export class PolicyReferenceV1 {
  @IsString() @IsNotEmpty() packId!: string;
  @IsInt() @Min(1) version!: number;
  @IsArray() @IsString({ each: true }) clauses!: string[];
}

/** `ApprovalRequested` v1 on conduct.approvals.v1: an officer or media team asked to publish media
 * that shows uniform, vehicles, equipment or offices (SND-1, SND-2). */
export class ApprovalRequestedV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => RequesterV1) requester!: RequesterV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => JurisdictionV1) jurisdiction!: JurisdictionV1;
  @IsString() @IsNotEmpty() platform!: string;
  @IsString() @IsNotEmpty() officialAccountId!: string;
  @IsString() @MaxLength(200) title!: string;
  @IsString() @MaxLength(5000) description!: string;
  @Matches(/^[0-9a-f]{64}$/) mediaSha256!: string;
  @IsArray() @ArrayNotEmpty() @IsIn(CONTRACT_FEATURES, { each: true }) features!: string[];
  @IsISO8601() intendedPublicationAt!: string;
  @IsISO8601() requestedAt!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PolicyReferenceV1) policy!: PolicyReferenceV1;
}
