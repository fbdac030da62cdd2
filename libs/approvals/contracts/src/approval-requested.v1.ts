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
import { JSONSchema } from 'class-validator-jsonschema';

export const CONTRACT_FEATURES = ['uniform', 'vehicle', 'equipment', 'office-premises'] as const;

@JSONSchema({ description: 'Where it sits in the police hierarchy (province → range → district → unit).' })
export class JurisdictionV1 {
  @JSONSchema({ description: 'Lower-case kebab id, e.g. sindh, punjab, khyber-pakhtunkhwa.' })
  @IsString()
  @IsNotEmpty()
  province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsOptional() @IsString() unitId?: string;
}

@JSONSchema({ description: 'Who asked for approval, and the unit they asked for.' })
export class RequesterV1 {
  @IsString() @IsNotEmpty() id!: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

@JSONSchema({
  description:
    'The policy pack version a request or decision rests on, and the clauses of it that apply, e.g. `{ packId: sindh, version: 2, clauses: [SND-1, SND-2] }`.',
})
export class PolicyReferenceV1 {
  @JSONSchema({ description: 'The policy pack, e.g. sindh, punjab, khyber-pakhtunkhwa.' })
  @IsString()
  @IsNotEmpty()
  packId!: string;
  @JSONSchema({ description: 'The pack version in force at the moment of the request or decision.' })
  @IsInt()
  @Min(1)
  version!: number;
  @JSONSchema({ description: 'Clause ids of that pack version, e.g. SND-1.' })
  @IsArray()
  @IsString({ each: true })
  clauses!: string[];
}

/** `ApprovalRequested` v1 on conduct.approvals.v1: an officer or media team asked to publish media
 * that shows uniform, vehicles, equipment or offices (SND-1, SND-2). */
export class ApprovalRequestedV1 {
  @JSONSchema({ description: "The approval request's id; also its stream id and the message key." })
  @IsString()
  @IsNotEmpty()
  approvalId!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => RequesterV1) requester!: RequesterV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => JurisdictionV1) jurisdiction!: JurisdictionV1;
  @JSONSchema({ description: 'The social-media platform, lower-case, e.g. facebook, x, youtube.' })
  @IsString()
  @IsNotEmpty()
  platform!: string;
  @JSONSchema({ description: 'The registered official account that will publish (its `accountId`, SND-5).' })
  @IsString()
  @IsNotEmpty()
  officialAccountId!: string;
  @IsString() @MaxLength(200) title!: string;
  @IsString() @MaxLength(5000) description!: string;
  @JSONSchema({ description: 'SHA-256 of the exact media file (64 lower-case hex characters); an approval covers these bytes only.' })
  @Matches(/^[0-9a-f]{64}$/)
  mediaSha256!: string;
  @JSONSchema({
    description: 'What the media shows that makes approval necessary: uniform, vehicles, equipment (SND-1); office premises, vehicles (SND-2).',
  })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(CONTRACT_FEATURES, { each: true })
  features!: string[];
  @IsISO8601() intendedPublicationAt!: string;
  @IsISO8601() requestedAt!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PolicyReferenceV1) policy!: PolicyReferenceV1;
}
