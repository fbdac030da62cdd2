import { count } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

export interface OfficerLine {
  serviceNumber: string;
  /** Only for roles allowed to see officers' names; otherwise absent. */
  name?: string;
  /** Cases reported against the officer in the period. */
  cases: number;
  /** Substantiated findings recorded in the period and not set aside on appeal. */
  substantiatedFindings: number;
  /** Early-intervention flags raised in the period. */
  flags: number;
  /** At least two cases, or at least two substantiated findings, in the period. */
  repeatOffender: boolean;
}

export interface OfficerFigures {
  /** Officers who are repeat offenders or were flagged in the period: most cases first. */
  officers: OfficerLine[];
  /** Early-intervention flags raised in the period, newest first. */
  earlyInterventionFlags: { serviceNumber: string; name?: string; raisedAt: string; caseIds: string[] }[];
}

/** Threshold for a repeat offender: two cases, or two substantiated findings, in the period. */
export const REPEAT_OFFENDER_THRESHOLD = 2;

export async function officerFigures(sql: Sql, request: ReportRequest): Promise<OfficerFigures> {
  const cases = await withFilters<{ service_number: string; name: string; n: string }>(
    sql,
    request.where('c', 'c.reported_at'),
    `SELECT c.officer_service_number AS service_number, max(c.officer_name) AS name, count(*) AS n FROM cases c {where} GROUP BY 1`,
  );
  const findings = await withFilters<{ service_number: string; name: string; n: string }>(
    sql,
    request.where('c', 'f.recorded_at').where(`f.outcome = 'substantiated' AND NOT f.set_aside`),
    `SELECT c.officer_service_number AS service_number, max(c.officer_name) AS name, count(*) AS n
       FROM findings f JOIN cases c USING (case_id) {where} GROUP BY 1`,
  );
  // Flags sit on the officer's own stream; the name comes from any case about the officer.
  const flags = await withFilters<{ service_number: string; name: string | null; raised_at: Date; case_ids: string[] }>(
    sql,
    request.where('e', 'e.raised_at'),
    `SELECT e.service_number, (SELECT max(officer_name) FROM cases WHERE officer_service_number = e.service_number) AS name,
            e.raised_at, e.case_ids
       FROM early_intervention_flags e {where} ORDER BY e.raised_at DESC, e.service_number`,
  );
  const officers = new Map<string, OfficerLine>();
  const line = (serviceNumber: string, name: string | null): OfficerLine => {
    const existing = officers.get(serviceNumber);
    if (existing) return existing;
    const created = { serviceNumber, name: name ?? '', cases: 0, substantiatedFindings: 0, flags: 0, repeatOffender: false };
    officers.set(serviceNumber, created);
    return created;
  };
  for (const row of cases) line(row.service_number, row.name).cases = count(row.n);
  for (const row of findings) line(row.service_number, row.name).substantiatedFindings = count(row.n);
  for (const row of flags) line(row.service_number, row.name).flags += 1;
  for (const officer of officers.values()) {
    officer.repeatOffender = officer.cases >= REPEAT_OFFENDER_THRESHOLD || officer.substantiatedFindings >= REPEAT_OFFENDER_THRESHOLD;
  }
  return {
    officers: [...officers.values()]
      .filter((officer) => officer.repeatOffender || officer.flags > 0)
      .sort((a, b) => b.cases - a.cases || b.substantiatedFindings - a.substantiatedFindings || a.serviceNumber.localeCompare(b.serviceNumber)),
    earlyInterventionFlags: flags.map((row) => ({
      serviceNumber: row.service_number,
      name: row.name ?? '',
      raisedAt: row.raised_at.toISOString(),
      caseIds: row.case_ids,
    })),
  };
}
