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

/** The policy pack version a case is judged under, and the clauses alleged of it (never none). */
export class CasePolicyReferenceV1 {
  @IsString() @IsNotEmpty() packId!: string;
  @IsInt() @Min(1) version!: number;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) clauses!: string[];
}

/** The officer the case is about; `serviceNumber` is also their user id in tokens. */
export class OfficerConcernedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @IsString() @IsNotEmpty() name!: string;
  @IsString() @IsNotEmpty() rank!: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

export class CaseJurisdictionV1 {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsOptional() @IsString() unitId?: string;
}

/** Captured content, proven by its SHA-256 and archived outside the platform. */
export class EvidenceV1 {
  @IsString() @IsNotEmpty() evidenceId!: string;
  @Matches(/^[0-9a-f]{64}$/) sha256!: string;
  @IsISO8601() capturedAt!: string;
  @IsString() @IsNotEmpty() capturedBy!: string;
  @IsString() @IsNotEmpty() archiveLocation!: string;
}

/** The facts, beyond duty and platform, that decide whether a clause applies. */
export class ConductDetailsV1 {
  @IsArray() @IsIn(CONTENT_KINDS, { each: true }) kinds!: string[];
  @IsArray() @IsIn(FEATURES, { each: true }) features!: string[];
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
  /** When the conduct happened: it chose the pack version in `policy`. */
  @IsISO8601() observedAt!: string;
  @IsISO8601() becameKnownAt!: string;
  @IsBoolean() onDuty!: boolean;
  @IsString() description!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => CasePolicyReferenceV1) policy!: CasePolicyReferenceV1;
  /** The rank answering for the case now, e.g. SSP. */
  @IsString() @IsNotEmpty() escalationLevel!: string;
  @IsString() @IsNotEmpty() reportedBy!: string;
  @IsISO8601() reportedAt!: string;
}
