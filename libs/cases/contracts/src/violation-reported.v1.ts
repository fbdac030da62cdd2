import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTENT_KINDS, FEATURES } from '@conduct/policy';
import { JSONSchema } from 'class-validator-jsonschema';

@JSONSchema({
  description:
    'The policy pack version a case is judged under (the one in force where and when the conduct happened) and the clauses alleged of it, e.g. `{ packId: sindh, version: 2, clauses: [SND-1] }`.',
})
export class CasePolicyReferenceV1 {
  @IsString() @IsNotEmpty() packId!: string;
  @IsInt() @Min(1) version!: number;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) clauses!: string[];
}

@JSONSchema({ description: 'The officer a case is about; `serviceNumber` is also their user id in tokens.' })
export class OfficerConcernedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @JSONSchema({
    description:
      "Sealed under the officer's key as `pii:v1:<keyId>:<ciphertext>` (docs/privacy.md): readers see the name, or `[erased]` once PersonalDataErased. Events recorded before per-person keys hold it in plain text, as the example does.",
  })
  @IsString()
  @IsNotEmpty()
  name!: string;
  @IsString() @IsNotEmpty() rank!: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

@JSONSchema({ description: 'Where it sits in the police hierarchy (province → range → district → unit).' })
export class CaseJurisdictionV1 {
  @JSONSchema({ description: 'Lower-case kebab id, e.g. sindh, punjab, khyber-pakhtunkhwa.' })
  @IsString()
  @IsNotEmpty()
  province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsOptional() @IsString() unitId?: string;
}

@JSONSchema({ description: 'Captured content, proven by its SHA-256 and archived outside the platform.' })
export class EvidenceV1 {
  @IsString() @IsNotEmpty() evidenceId!: string;
  @JSONSchema({ description: 'SHA-256 of the captured file (64 lower-case hex characters).' })
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  @IsISO8601() capturedAt!: string;
  @IsString() @IsNotEmpty() capturedBy!: string;
  @JSONSchema({ description: 'Where the captured copy is archived, e.g. an object-store URI.' })
  @IsString()
  @IsNotEmpty()
  archiveLocation!: string;
}

@JSONSchema({ description: 'The facts, beyond duty and platform, that decide whether a clause applies.' })
export class ConductDetailsV1 {
  @IsArray() @IsIn(CONTENT_KINDS, { each: true }) kinds!: string[];
  @JSONSchema({ description: 'What the content shows that needs pre-approval (SND-1, SND-2).' })
  @IsArray()
  @IsIn(FEATURES, { each: true })
  features!: string[];
  @IsBoolean() usedOfficialAccount!: boolean;
  @IsBoolean() platformPermitted!: boolean;
}

/** `ViolationReported` v1 on conduct.cases.v1: a case opens against an officer. Key = caseId. */
export class ViolationReportedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => OfficerConcernedV1) officer!: OfficerConcernedV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => CaseJurisdictionV1) jurisdiction!: CaseJurisdictionV1;
  @IsString() @IsNotEmpty() platform!: string;
  @IsString() @IsNotEmpty() contentUrl!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ConductDetailsV1) conduct!: ConductDetailsV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => EvidenceV1) evidence!: EvidenceV1;
  @JSONSchema({ description: 'When the conduct happened; it chose the pack version in `policy`.' })
  @IsISO8601()
  observedAt!: string;
  @IsISO8601() becameKnownAt!: string;
  @IsBoolean() onDuty!: boolean;
  @IsString() description!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => CasePolicyReferenceV1) policy!: CasePolicyReferenceV1;
  @JSONSchema({ description: 'The rank answering for the case now, e.g. SSP.' })
  @IsString()
  @IsNotEmpty()
  escalationLevel!: string;
  @IsString() @IsNotEmpty() reportedBy!: string;
  @IsISO8601() reportedAt!: string;
}
