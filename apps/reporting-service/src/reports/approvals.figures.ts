import { DURATIONS } from '../read-models/report-rollups';
import { contributions } from './contributions';
import { hoursFromSeconds, ratio } from './figures';
import { medianSeconds } from './medians';
import { ReportRequest, Sql } from './report-scope';

export interface ApprovalFigures {
  /** Approval requests made in the period. */
  requested: number;
  /** Of those: decided (granted or rejected). */
  decided: number;
  /** Granted (whatever happened after: published, revoked, expired). */
  granted: number;
  rejected: number;
  /** granted / decided. */
  grantRate: number | null;
  /** Median time from request to decision over decided requests, in hours. */
  medianHoursToDecision: number | null;
  /** Granted requests published through the official account. */
  published: number;
  /** Publication attempts the policy refused (SND-1, SND-5), over these requests. */
  refusedPublicationAttempts: number;
}

/** Requested in the period and what became of them (a cohort by request date). */
export async function approvalFigures(sql: Sql, request: ReportRequest): Promise<ApprovalFigures> {
  const tally = await contributions(sql, request, 'approvals', [
    'approvals.requested',
    'approvals.decided',
    'approvals.granted',
    'approvals.rejected',
    'approvals.published',
    'approvals.refused-publications',
  ]);
  const decided = tally.total('approvals.decided');
  const granted = tally.total('approvals.granted');
  return {
    requested: tally.total('approvals.requested'),
    decided,
    granted,
    rejected: tally.total('approvals.rejected'),
    grantRate: ratio(granted, decided),
    medianHoursToDecision: hoursFromSeconds(await medianSeconds(sql, request, DURATIONS.decision)),
    published: tally.total('approvals.published'),
    refusedPublicationAttempts: tally.total('approvals.refused-publications'),
  };
}
