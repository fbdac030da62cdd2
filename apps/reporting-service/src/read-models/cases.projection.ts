import { EntityManager } from 'typeorm';
import { casesContracts } from '@conduct/cases-contracts';
import { projection } from '@conduct/messaging';
import { ReadModel } from './read-model';

/**
 * `advance` moves the case row on to the event (see moveStreamRow) and answers whether it did: the
 * case's other tables change only then, so a handler run twice changes nothing there either.
 */
export const { on: onCaseEvent, move: advance, versionOnly } = projection(casesContracts, { table: 'cases', id: 'case_id', version: 'version' });

/**
 * Notices, findings and sanctions carry their case's place (findings its officer too), which never
 * change once the case is reported: reports count them without joining a million cases. A trigger
 * copies them from the case as each row goes in, so no writer can leave them out: not a handler,
 * not a replica of an older version still writing during an upgrade, not a seed.
 */
const PLACE_COLUMNS = ['province', 'range', 'district', 'unit_id'];
const OFFICER_COLUMNS = ['officer_service_number', 'officer_name', ...PLACE_COLUMNS];
const COPIED_FROM_CASE: Record<string, string[]> = { takedown_notices: PLACE_COLUMNS, findings: OFFICER_COLUMNS, sanctions: PLACE_COLUMNS };
const copiedColumns = (table: string) => COPIED_FROM_CASE[table]!.map((column) => `${column} text`).join(', ');
const copyFromCase = (table: string): string[] => {
  const columns = COPIED_FROM_CASE[table]!;
  return [
    `CREATE OR REPLACE FUNCTION ${table}_from_case() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
     BEGIN
       SELECT ${columns.map((column) => `c.${column}`).join(', ')} INTO ${columns.map((column) => `NEW.${column}`).join(', ')}
         FROM cases c WHERE c.case_id = NEW.case_id;
       -- Unplaced, the row would count nowhere: fail (the handler is retried, then dead-lettered) rather than lose it.
       IF NOT FOUND THEN RAISE EXCEPTION 'no case % for a row of ${table}', NEW.case_id; END IF;
       RETURN NEW;
     END $$`,
    `CREATE OR REPLACE TRIGGER ${table}_from_case BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_from_case()`,
  ];
};
// The officers report counts a period's standing substantiated findings by officer from this index alone.
const FINDINGS_OFFICERS_REPORT_INDEX = `CREATE INDEX IF NOT EXISTS findings_officers_report_idx ON findings (recorded_at)
   INCLUDE (${OFFICER_COLUMNS.join(', ')}) WHERE outcome = 'substantiated' AND NOT set_aside`;

/**
 * Brings notices, findings and sanctions of a generation built before they carried their case's
 * place (and a finding its officer) up to this layout: the columns, filled from the cases where
 * empty, and the trigger that fills them from now on. Idempotent; a generation's three tables are
 * locked together first, so that writers of the older version wait (as do reports on them, for
 * the UPDATE: about a minute at a million cases, once) and none slips in between. Answers whether
 * it changed anything. Called at start (Generations.upgradeAll) and by ensureRollups, whose count
 * needs the columns.
 */
export async function placeRowsByTheirCase(manager: EntityManager): Promise<boolean> {
  const tables = Object.keys(COPIED_FROM_CASE);
  const missing = await manager.query<{ table: string }[]>(
    `SELECT t.name AS table FROM unnest($1::text[]) AS t (name)
      WHERE to_regclass(t.name) IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(t.name) AND tgname = t.name || '_from_case')`,
    [tables],
  );
  if (missing.length === 0) return false;
  await manager.query(`LOCK TABLE ${missing.map((row) => row.table).join(', ')} IN ACCESS EXCLUSIVE MODE`);
  for (const { table } of missing) {
    const columns = COPIED_FROM_CASE[table]!;
    await manager.query(`ALTER TABLE ${table} ${columns.map((column) => `ADD COLUMN IF NOT EXISTS ${column} text`).join(', ')}`);
    await manager.query(
      `UPDATE ${table} t SET ${columns.map((column) => `${column} = c.${column}`).join(', ')}
         FROM cases c WHERE c.case_id = t.case_id AND t.${columns[0]} IS NULL`,
    );
    for (const statement of copyFromCase(table)) await manager.query(statement);
  }
  await manager.query(FINDINGS_OFFICERS_REPORT_INDEX);
  return true;
}

/**
 * `cases`: one row per case with what headquarters counts — where it is, the officer, the clauses,
 * its status and dates, its latest takedown notice, its standing finding and sanction.
 * `takedown_notices`, `findings`, `sanctions`: one row per notice / finding / sanction, so a case
 * that is reopened and decided again keeps both decisions for the period they fall in.
 */
export const casesReadModel: ReadModel = {
  name: 'cases',
  ddl: [
    `CREATE TABLE cases (
       case_id                text        PRIMARY KEY,
       officer_service_number text        NOT NULL,
       officer_name           text        NOT NULL,
       officer_rank           text        NOT NULL,
       officer_unit_id        text        NOT NULL,
       province               text        NOT NULL,
       range                  text,
       district               text,
       unit_id                text,
       platform               text        NOT NULL,
       clauses                text[]      NOT NULL,
       status                 text        NOT NULL,
       stage                  text        NOT NULL,
       reported_at            timestamptz NOT NULL,
       -- When the conduct occurred and became known: the other bases reports count cases by.
       observed_at            timestamptz,
       became_known_at        timestamptz,
       closed_at              timestamptz,
       takedown_notice_id     text,
       takedown_due_at        timestamptz,
       takedown_removed_at    timestamptz,
       finding_outcome        text,
       sanction               text,
       version                integer     NOT NULL
     )`,
    `CREATE INDEX cases_scope_idx ON cases (province, range, district, unit_id)`,
    `CREATE INDEX cases_reported_idx ON cases (reported_at DESC)`,
    `CREATE INDEX cases_officer_idx ON cases (officer_service_number)`,
    `CREATE TABLE takedown_notices (
       notice_id       text        PRIMARY KEY,
       case_id         text        NOT NULL,
       served_at       timestamptz NOT NULL,
       due_at          timestamptz NOT NULL,
       removed_at      timestamptz,
       within_deadline boolean,
       missed_at       timestamptz,
       ${copiedColumns('takedown_notices')}
     )`,
    `CREATE INDEX takedown_notices_case_idx ON takedown_notices (case_id)`,
    ...copyFromCase('takedown_notices'),
    `CREATE TABLE findings (
       event_id     uuid        PRIMARY KEY,
       case_id      text        NOT NULL,
       outcome      text        NOT NULL,
       clauses      text[]      NOT NULL,
       recorded_at  timestamptz NOT NULL,
       set_aside    boolean     NOT NULL DEFAULT false,
       version      integer     NOT NULL,
       ${copiedColumns('findings')}
     )`,
    `CREATE INDEX findings_case_idx ON findings (case_id, version DESC)`,
    FINDINGS_OFFICERS_REPORT_INDEX,
    ...copyFromCase('findings'),
    `CREATE TABLE sanctions (
       event_id    uuid        PRIMARY KEY,
       case_id     text        NOT NULL,
       imposed     text        NOT NULL,
       severity    text        NOT NULL,
       imposed_at  timestamptz NOT NULL,
       -- What stands after appeal: the imposed sanction, the one it was reduced to, or none (set aside).
       standing    text,
       outcome     text        NOT NULL DEFAULT 'standing',
       version     integer     NOT NULL,
       ${copiedColumns('sanctions')}
     )`,
    `CREATE INDEX sanctions_case_idx ON sanctions (case_id, version DESC)`,
    ...copyFromCase('sanctions'),
  ],
  upgrade: placeRowsByTheirCase,
  handlers: {
    ViolationReported: onCaseEvent('ViolationReported', async ({ data, streamVersion }, manager) => {
      await manager.query(
        `INSERT INTO cases (case_id, officer_service_number, officer_name, officer_rank, officer_unit_id, province, range, district,
                            unit_id, platform, clauses, status, stage, reported_at, observed_at, became_known_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', 'investigating', $12, $13, $14, $15)
         ON CONFLICT (case_id) DO NOTHING`,
        [
          data.caseId,
          data.officer.serviceNumber,
          data.officer.name,
          data.officer.rank,
          data.officer.unitId,
          data.jurisdiction.province,
          data.jurisdiction.range ?? null,
          data.jurisdiction.district ?? null,
          // As the case records it, like violation-service: scope compares the case's own unit.
          data.jurisdiction.unitId ?? null,
          data.platform,
          data.policy.clauses,
          data.reportedAt,
          data.observedAt,
          data.becameKnownAt,
          streamVersion,
        ],
      );
    }),
    InvestigatorAssigned: onCaseEvent('InvestigatorAssigned', versionOnly),
    ApprovalCoverageFound: onCaseEvent('ApprovalCoverageFound', versionOnly),
    EvidenceAdded: onCaseEvent('EvidenceAdded', versionOnly),
    NoteAdded: onCaseEvent('NoteAdded', versionOnly),
    CaseEscalated: onCaseEvent('CaseEscalated', versionOnly),
    // Due process before a major penalty: on the timeline, not in the figures.
    ShowCauseNoticeIssued: onCaseEvent('ShowCauseNoticeIssued', versionOnly),
    ShowCauseReplyReceived: onCaseEvent('ShowCauseReplyReceived', versionOnly),
    ShowCauseReplyLapsed: onCaseEvent('ShowCauseReplyLapsed', versionOnly),
    PersonalHearingHeld: onCaseEvent('PersonalHearingHeld', versionOnly),
    TakedownNoticeIssued: onCaseEvent('TakedownNoticeIssued', async (e, m) => {
      const { noticeId, dueAt, servedAt } = e.data;
      if (!(await advance(m, e, `takedown_notice_id = $3, takedown_due_at = $4, takedown_removed_at = NULL`, [noticeId, dueAt]))) return;
      await m.query(
        `INSERT INTO takedown_notices (notice_id, case_id, served_at, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (notice_id) DO NOTHING`,
        [noticeId, e.data.caseId, servedAt, dueAt],
      );
    }),
    ContentRemovalConfirmed: onCaseEvent('ContentRemovalConfirmed', async (e, m) => {
      if (!(await advance(m, e, `takedown_removed_at = $3`, [e.data.verifiedAt]))) return;
      await m.query(`UPDATE takedown_notices SET removed_at = $2, within_deadline = $3 WHERE notice_id = $1`, [
        e.data.noticeId,
        e.data.verifiedAt,
        e.data.withinDeadline,
      ]);
    }),
    TakedownDeadlineMissed: onCaseEvent('TakedownDeadlineMissed', async (e, m) => {
      if (!(await advance(m, e))) return;
      await m.query(`UPDATE takedown_notices SET missed_at = $2 WHERE notice_id = $1`, [e.data.noticeId, e.data.missedAt]);
    }),
    FindingRecorded: onCaseEvent('FindingRecorded', async (e, m) => {
      if (!(await advance(m, e, `stage = 'found', finding_outcome = $3`, [e.data.outcome]))) return;
      await m.query(`INSERT INTO findings (event_id, case_id, outcome, clauses, recorded_at, version) VALUES ($1, $2, $3, $4, $5, $6)`, [
        e.eventId,
        e.data.caseId,
        e.data.outcome,
        e.data.clauses ?? [],
        e.data.recordedAt,
        e.streamVersion,
      ]);
    }),
    SanctionImposed: onCaseEvent('SanctionImposed', async (e, m) => {
      if (!(await advance(m, e, `stage = 'sanctioned', sanction = $3`, [e.data.sanction]))) return;
      await m.query(
        `INSERT INTO sanctions (event_id, case_id, imposed, severity, imposed_at, standing, version) VALUES ($1, $2, $3, $4, $5, $3, $6)`,
        [e.eventId, e.data.caseId, e.data.sanction, e.data.severity, e.data.imposedAt, e.streamVersion],
      );
    }),
    AppealFiled: onCaseEvent('AppealFiled', async (e, m) => {
      await advance(m, e, `stage = 'under-appeal'`);
    }),
    AppealDecided: onCaseEvent('AppealDecided', async (e, m) => {
      const latest = (table: string) => `(SELECT event_id FROM ${table} WHERE case_id = $1 ORDER BY version DESC LIMIT 1)`;
      switch (e.data.outcome) {
        case 'upheld':
          // The appeal succeeded: the finding and any sanction are set aside.
          if (!(await advance(m, e, `stage = 'set-aside', sanction = NULL`))) return;
          await m.query(`UPDATE findings SET set_aside = true WHERE event_id = ${latest('findings')}`, [e.data.caseId]);
          await m.query(`UPDATE sanctions SET standing = NULL, outcome = 'set-aside' WHERE event_id = ${latest('sanctions')}`, [e.data.caseId]);
          return;
        case 'sanction-reduced':
          if (!(await advance(m, e, `stage = 'sanctioned', sanction = $3`, [e.data.reducedTo]))) return;
          await m.query(`UPDATE sanctions SET standing = $2, outcome = 'reduced' WHERE event_id = ${latest('sanctions')}`, [
            e.data.caseId,
            e.data.reducedTo,
          ]);
          return;
        default:
          // Dismissed: the decision appealed stands.
          await advance(m, e, `stage = CASE WHEN sanction IS NULL THEN 'found' ELSE 'sanctioned' END`);
      }
    }),
    CaseClosed: onCaseEvent('CaseClosed', async (e, m) => {
      await advance(m, e, `status = 'closed', closed_at = $3`, [e.data.closedAt]);
    }),
    // A reopened case is investigated afresh; its earlier finding and sanction stay in their tables.
    CaseReopened: onCaseEvent('CaseReopened', async (e, m) => {
      await advance(m, e, `status = 'open', stage = 'investigating', finding_outcome = NULL, sanction = NULL, closed_at = NULL`);
    }),
  },
};
