import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsNotEmpty, IsString, ValidateIf } from 'class-validator';
import { FINDING_OUTCOMES } from '@conduct/cases-domain';
import { SANCTION_SEVERITIES } from '@conduct/policy';
import { JSONSchema } from 'class-validator-jsonschema';

const isSubstantiated = (finding: FindingRecordedV1): boolean => finding.outcome === 'substantiated';

/** `FindingRecorded` v1: a substantiated finding names the clauses proven and opens an appeal window. */
export class FindingRecordedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsIn(FINDING_OUTCOMES) outcome!: string;
  @JSONSchema({ description: 'The alleged clauses held proven; present exactly when the outcome is substantiated.' })
  @ValidateIf(isSubstantiated)
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  clauses?: string[];
  @JSONSchema({ description: 'End of the appeal window; present exactly when the outcome is substantiated.' })
  @ValidateIf(isSubstantiated)
  @IsISO8601()
  appealableUntil?: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() recordedBy!: string;
  @IsISO8601() recordedAt!: string;
}

/** `SanctionImposed` v1: a sanction of the pack's list, e.g. `censure`. */
export class SanctionImposedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @JSONSchema({ description: "A sanction id from the pack's list, e.g. censure, reduction-in-rank." })
  @IsString()
  @IsNotEmpty()
  sanction!: string;
  @IsIn(SANCTION_SEVERITIES) severity!: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() imposedBy!: string;
  @IsISO8601() imposedAt!: string;
  @IsISO8601() appealableUntil!: string;
}

export const CONTRACT_APPEAL_TARGETS = ['finding', 'sanction'] as const;

/** `AppealFiled` v1: against the standing decision, the finding or the sanction once one is imposed. */
export class AppealFiledV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() appealId!: string;
  @IsIn(CONTRACT_APPEAL_TARGETS) against!: string;
  @IsString() @IsNotEmpty() appellant!: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) grounds!: string[];
  @IsString() @IsNotEmpty() filedBy!: string;
  @IsISO8601() filedAt!: string;
}

export const CONTRACT_APPEAL_OUTCOMES = ['upheld', 'dismissed', 'sanction-reduced'] as const;
const isReduction = (decision: AppealDecidedV1): boolean => decision.outcome === 'sanction-reduced';

/** `AppealDecided` v1: `upheld` sets the finding and any sanction aside, `dismissed` lets them stand,
 * `sanction-reduced` replaces the sanction by `reducedTo` of `severity`. */
export class AppealDecidedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() appealId!: string;
  @IsIn(CONTRACT_APPEAL_OUTCOMES) outcome!: string;
  @JSONSchema({ description: 'The lesser sanction; present exactly when the outcome is sanction-reduced.' })
  @ValidateIf(isReduction)
  @IsString()
  @IsNotEmpty()
  reducedTo?: string;
  @JSONSchema({ description: "The lesser sanction's severity; present exactly when the outcome is sanction-reduced." })
  @ValidateIf(isReduction)
  @IsIn(SANCTION_SEVERITIES)
  severity?: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() decidedBy!: string;
  @IsISO8601() decidedAt!: string;
}

/** `CaseClosed` v1: the case is read-only until reopened. */
export class CaseClosedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() closedBy!: string;
  @IsISO8601() closedAt!: string;
}

/** `CaseReopened` v1. */
export class CaseReopenedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() reopenedBy!: string;
  @IsISO8601() reopenedAt!: string;
}
