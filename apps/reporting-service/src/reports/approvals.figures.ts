import { contributions } from './contributions';
import { hoursFromSeconds, ratio } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

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
  const [row] = await withFilters<{ median_seconds: number | null }>(
    sql,
    request.where('a', 'a.requested_at').where('a.decided_at IS NOT NULL'),
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - a.requested_at)) AS median_seconds
       FROM approvals_report a {where}`,
  );
  const decided = tally.total('approvals.decided');
  const granted = tally.total('approvals.granted');
  return {
    requested: tally.total('approvals.requested'),
    decided,
    granted,
    rejected: tally.total('approvals.rejected'),
    grantRate: ratio(granted, decided),
    medianHoursToDecision: hoursFromSeconds(row?.median_seconds ?? null),
    published: tally.total('approvals.published'),
    refusedPublicationAttempts: tally.total('approvals.refused-publications'),
  };
}
