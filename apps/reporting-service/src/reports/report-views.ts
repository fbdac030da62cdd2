import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApprovalFigures } from './approvals.figures';
import { CasesFigures } from './cases.figures';
import { OfficerFigures, OfficerLine } from './officers.figures';
import { SanctionFigures } from './sanctions.figures';
import { TakedownFigures } from './takedowns.figures';
import { TrendMonth } from './trend.figures';

/*
 * The JSON of each headquarters report, for the OpenAPI document. Each class implements the
 * interface its figures are computed as, so the document cannot drift from what is sent.
 */

const RATE = 'A share between 0 and 1 (three decimals); null when there is nothing to divide by';
const MEDIAN_HOURS = 'Hours with one decimal; null without data';

/** What every report carries before its figures. */
export class ReportStamp {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({
    description: 'The filters applied after the caller’s scope (from, to, province, range, district, unitId)',
    type: 'object',
    additionalProperties: true,
  })
  filters!: object;
  @ApiProperty({
    description: 'The topic offsets the figures reflect: topic → partition → next offset',
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: { 'conduct.cases.v1': { '0': 1542 } },
  })
  positions!: Record<string, Record<string, number>>;
}

class StatusCount {
  @ApiProperty({ example: 'investigating', description: '`closed`, or the stage of an open case' }) status!: string;
  @ApiProperty() cases!: number;
}

class ClauseCount {
  @ApiProperty({ example: 'SMP-3' }) clause!: string;
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
}

export class CasesReportView extends ReportStamp implements CasesFigures {
  @ApiProperty({ description: 'Cases reported in the period' }) opened!: number;
  @ApiProperty({ description: 'Cases closed in the period (their latest closure)' }) closed!: number;
  @ApiProperty({ type: [StatusCount] }) openedByStatus!: StatusCount[];
  @ApiProperty({ type: [ClauseCount], description: 'A case alleging two clauses counts under each' }) byClause!: ClauseCount[];
}

export class TakedownsReportView extends ReportStamp implements TakedownFigures {
  @ApiProperty({ description: 'Takedown notices served in the period' }) served!: number;
  @ApiProperty({ description: 'Removed by the due time' }) removedWithinDeadline!: number;
  @ApiProperty({ description: 'Removed after the due time' }) removedLate!: number;
  @ApiProperty({ description: 'Not removed and past the due time now' }) overdueNow!: number;
  @ApiProperty({ description: 'Not removed, not yet due' }) pending!: number;
  @ApiProperty({ type: Number, nullable: true, description: `removedWithinDeadline / (served − pending). ${RATE}` }) complianceRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: `Median time from service to removal. ${MEDIAN_HOURS}` }) medianHoursToRemoval!:
    number | null;
}

export class ApprovalsReportView extends ReportStamp implements ApprovalFigures {
  @ApiProperty({ description: 'Approval requests made in the period' }) requested!: number;
  @ApiProperty({ description: 'Of those, granted or rejected' }) decided!: number;
  @ApiProperty() granted!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: Number, nullable: true, description: `granted / decided. ${RATE}` }) grantRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: `Median time from request to decision. ${MEDIAN_HOURS}` }) medianHoursToDecision!:
    number | null;
  @ApiProperty({ description: 'Granted requests published through the official account' }) published!: number;
  @ApiProperty({ description: 'Publication attempts the policy refused (SND-1, SND-5)' }) refusedPublicationAttempts!: number;
}

class SanctionType {
  @ApiProperty({ example: 'censure' }) sanction!: string;
  @ApiProperty({ example: 'minor' }) severity!: string;
  @ApiProperty() imposed!: number;
  @ApiProperty() reducedOnAppeal!: number;
  @ApiProperty() setAsideOnAppeal!: number;
}

class StandingSanction {
  @ApiProperty({ example: 'censure' }) sanction!: string;
  @ApiProperty() count!: number;
}

export class SanctionsReportView extends ReportStamp implements SanctionFigures {
  @ApiProperty({ description: 'Sanctions imposed in the period' }) imposed!: number;
  @ApiProperty({ type: [SanctionType] }) byType!: SanctionType[];
  @ApiProperty({ type: [StandingSanction], description: 'What stands today (a reduced sanction counts as what it was reduced to)' })
  standing!: StandingSanction[];
}

class OfficerLineView implements OfficerLine {
  @ApiProperty({ example: 'KHI-40172' }) serviceNumber!: string;
  @ApiPropertyOptional({ description: 'Only for roles allowed to see officers’ names' }) name?: string;
  @ApiProperty({ description: 'Cases reported against the officer in the period' }) cases!: number;
  @ApiProperty({ description: 'Substantiated findings in the period, not set aside on appeal' }) substantiatedFindings!: number;
  @ApiProperty({ description: 'Early-intervention flags raised in the period' }) flags!: number;
  @ApiProperty({ description: 'At least two cases, or two substantiated findings, in the period' }) repeatOffender!: boolean;
}

class EarlyInterventionFlagView {
  @ApiProperty({ example: 'KHI-40172' }) serviceNumber!: string;
  @ApiPropertyOptional({ description: 'Only for roles allowed to see officers’ names' }) name?: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) caseIds!: string[];
}

export class OfficersReportView extends ReportStamp implements OfficerFigures {
  @ApiProperty({ type: [OfficerLineView], description: 'Repeat offenders and flagged officers, most cases first' }) officers!: OfficerLineView[];
  @ApiProperty({ type: [EarlyInterventionFlagView], description: 'Newest first' }) earlyInterventionFlags!: EarlyInterventionFlagView[];
}

class TrendMonthView implements TrendMonth {
  @ApiProperty({ example: '2026-03', description: 'YYYY-MM, UTC' }) month!: string;
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() takedownsServed!: number;
  @ApiProperty() takedownsRemovedWithinDeadline!: number;
  @ApiProperty({ type: Number, nullable: true, description: RATE }) takedownComplianceRate!: number | null;
  @ApiProperty() approvalsRequested!: number;
  @ApiProperty({ description: 'Grants decided that month' }) approvalsGranted!: number;
  @ApiProperty() sanctionsImposed!: number;
}

export class TrendReportView extends ReportStamp {
  @ApiProperty({ type: [TrendMonthView], description: 'Every month between the first and the last with any figure' }) months!: TrendMonthView[];
}
