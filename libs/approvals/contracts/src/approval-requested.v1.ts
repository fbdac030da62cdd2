import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

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

/** `ApprovalRequested` v1 on conduct.approvals.v1: an officer or media team asked to publish media
 * that shows uniform, vehicles, equipment or offices (SND-1, SND-2). */
export class ApprovalRequestedV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @ValidateNested() @Type(() => RequesterV1) requester!: RequesterV1;
  @ValidateNested() @Type(() => JurisdictionV1) jurisdiction!: JurisdictionV1;
  @IsString() @IsNotEmpty() platform!: string;
  @IsString() @IsNotEmpty() officialAccountId!: string;
  @IsString() @MaxLength(200) title!: string;
  @IsString() @MaxLength(5000) description!: string;
  @Matches(/^[0-9a-f]{64}$/) mediaSha256!: string;
  @IsArray() @ArrayNotEmpty() @IsIn(CONTRACT_FEATURES, { each: true }) features!: string[];
  @IsISO8601() intendedPublicationAt!: string;
  @IsISO8601() requestedAt!: string;
}
