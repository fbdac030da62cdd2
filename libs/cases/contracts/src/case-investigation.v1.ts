import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { EvidenceV1 } from './violation-reported.v1';
import { JSONSchema } from 'class-validator-jsonschema';

/** `InvestigatorAssigned` v1: `replaces` names the investigator taken off the case, if any. */
export class InvestigatorAssignedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() investigatorId!: string;
  @JSONSchema({ description: 'The investigator taken off the case, when one is replaced.' })
  @IsOptional()
  @IsString()
  replaces?: string;
  @IsString() @IsNotEmpty() assignedBy!: string;
  @IsISO8601() assignedAt!: string;
}

/** `ApprovalCoverageFound` v1: the reported content is an approved publication through an official account (SND-1, SND-5). */
export class ApprovalCoverageFoundV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsString() @IsNotEmpty() accountId!: string;
  @JSONSchema({ description: 'SHA-256 of the exact media file (64 lower-case hex characters).' })
  @Matches(/^[0-9a-f]{64}$/)
  mediaSha256!: string;
  @IsISO8601() publishedAt!: string;
  @IsISO8601() foundAt!: string;
}

/** `EvidenceAdded` v1. */
export class EvidenceAddedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => EvidenceV1) evidence!: EvidenceV1;
  @IsString() @IsNotEmpty() addedBy!: string;
  @IsISO8601() addedAt!: string;
}

/** `NoteAdded` v1. */
export class NoteAddedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() noteId!: string;
  @IsString() @IsNotEmpty() text!: string;
  @IsString() @IsNotEmpty() addedBy!: string;
  @IsISO8601() addedAt!: string;
}
