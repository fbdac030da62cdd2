import { count, hoursFromSeconds, ratio } from './figures';
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
  // Granted is told from the status: every status after a grant (published, revoked, expired) has a decision time.
  const [row] = await withFilters<{
    requested: string;
    decided: string;
    granted: string;
    rejected: string;
    published: string;
    refused: string | null;
    median_seconds: number | null;
  }>(
    sql,
    request.where('a', 'a.requested_at'),
    `SELECT count(*) AS requested,
            count(*) FILTER (WHERE a.decided_at IS NOT NULL) AS decided,
            count(*) FILTER (WHERE a.decided_at IS NOT NULL AND a.status <> 'rejected') AS granted,
            count(*) FILTER (WHERE a.status = 'rejected') AS rejected,
            count(*) FILTER (WHERE a.published_at IS NOT NULL) AS published,
            sum(a.refused_publications) AS refused,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - a.requested_at))
              FILTER (WHERE a.decided_at IS NOT NULL) AS median_seconds
       FROM approvals_report a {where}`,
  );
  const decided = count(row?.decided);
  const granted = count(row?.granted);
  return {
    requested: count(row?.requested),
    decided,
    granted,
    rejected: count(row?.rejected),
    grantRate: ratio(granted, decided),
    medianHoursToDecision: hoursFromSeconds(row?.median_seconds ?? null),
    published: count(row?.published),
    refusedPublicationAttempts: count(row?.refused),
  };
}
