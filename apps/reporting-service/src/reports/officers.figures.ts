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

// The order of String.prototype.localeCompare, without building a collator per comparison (150,000 lines nationally).
const serviceNumberOrder = new Intl.Collator();

/** Threshold for a repeat offender: two cases, or two substantiated findings, in the period. */
export const REPEAT_OFFENDER_THRESHOLD = 2;

export async function officerFigures(sql: Sql, request: ReportRequest): Promise<OfficerFigures> {
  // Flags sit on the officer's own stream; the name comes from any case about the officer.
  const flags = await withFilters<{ service_number: string; name: string | null; raised_at: Date; case_ids: string[] }>(
    sql,
    request.where('e', 'e.raised_at'),
    `SELECT e.service_number, (SELECT max(officer_name) FROM cases WHERE officer_service_number = e.service_number) AS name,
            e.raised_at, e.case_ids
       FROM early_intervention_flags e {where} ORDER BY e.raised_at DESC, e.service_number`,
  );
  // Cases and standing substantiated findings by officer, only for officers the report lists
  // (repeat offenders and the flagged): a national report groups a million rows, but parses and
  // sorts only the lines it shows. Findings carry their case's officer and place (no join).
  // Nationally the two groupings hold 150,000 officers (26 and 15 MB): enough memory that they stay
  // off disk. Hash tables may take twice work_mem (hash_mem_multiplier), so this is 32 MB each.
  await sql(`SET LOCAL work_mem = '16MB'`, []);
  const cases = request.where('c', 'c.reported_at').toSql();
  const findings = request.where('f', 'f.recorded_at').where(`f.outcome = 'substantiated' AND NOT f.set_aside`).toSql();
  const values = [...cases.values, ...findings.values, [...new Set(flags.map((row) => row.service_number))], REPEAT_OFFENDER_THRESHOLD];
  const lines = await sql<{ service_number: string; name: string; cases: string; findings: string }>(
    `SELECT service_number, coalesce(c.name, f.name) AS name, coalesce(c.n, 0) AS cases, coalesce(f.n, 0) AS findings
       FROM (SELECT c.officer_service_number AS service_number, max(c.officer_name) AS name, count(*) AS n
               FROM cases c ${cases.where} GROUP BY 1) AS c
       FULL JOIN (SELECT f.officer_service_number AS service_number, max(f.officer_name) AS name, count(*) AS n
                    FROM findings f ${shiftPlaceholders(findings.where, cases.values.length)} GROUP BY 1) AS f USING (service_number)
      WHERE c.n >= $${values.length} OR f.n >= $${values.length} OR service_number = ANY($${values.length - 1})`,
    values,
  );
  const officers = new Map<string, OfficerLine>();
  const line = (serviceNumber: string, name: string | null): OfficerLine => {
    const existing = officers.get(serviceNumber);
    if (existing) return existing;
    const created = { serviceNumber, name: name ?? '', cases: 0, substantiatedFindings: 0, flags: 0, repeatOffender: false };
    officers.set(serviceNumber, created);
    return created;
  };
  for (const row of lines) {
    const officer = line(row.service_number, row.name);
    officer.cases = count(row.cases);
    officer.substantiatedFindings = count(row.findings);
  }
  for (const row of flags) line(row.service_number, row.name).flags += 1;
  for (const officer of officers.values()) {
    officer.repeatOffender = officer.cases >= REPEAT_OFFENDER_THRESHOLD || officer.substantiatedFindings >= REPEAT_OFFENDER_THRESHOLD;
  }
  return {
    officers: [...officers.values()]
      .filter((officer) => officer.repeatOffender || officer.flags > 0)
      .sort(
        (a, b) =>
          b.cases - a.cases || b.substantiatedFindings - a.substantiatedFindings || serviceNumberOrder.compare(a.serviceNumber, b.serviceNumber),
      ),
    earlyInterventionFlags: flags.map((row) => ({
      serviceNumber: row.service_number,
      name: row.name ?? '',
      raisedAt: row.raised_at.toISOString(),
      caseIds: row.case_ids,
    })),
  };
}

/** `$1`, `$2`… of a WHERE clause renumbered to follow `offset` values of another. */
const shiftPlaceholders = (where: string, offset: number): string => where.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
