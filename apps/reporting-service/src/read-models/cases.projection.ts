import { EntityManager } from 'typeorm';
import { casesContracts, CaseContractType, OFFICER_STREAM_EVENT_TYPES } from '@conduct/cases-contracts';
import { EventEnvelope, projection } from '@conduct/messaging';
import { ReadModel } from './read-model';
import { advanceRow, PerTransaction, Row, Stage, StagedTable } from './staged-rows';

/** A handler of a case event type, its data validated by the type's contract. */
export const { on: onCaseEvent } = projection(casesContracts, { table: 'cases', id: 'case_id', version: 'version' });

/**
 * What one inbox transaction read and changed of its cases: each case's row, notices, findings
 * and sanctions, read at once (onArrivals), changed in memory by the handlers in stream order and
 * written back before the commit (staged-rows.ts). Officers' history reads the cases' rows here.
 */
export class CaseStage extends Stage {
  readonly cases = new StagedTable({
    table: 'cases',
    key: 'case_id',
    columns: {
      case_id: 'text',
      officer_service_number: 'text',
      officer_name: 'text',
      officer_rank: 'text',
      officer_unit_id: 'text',
      province: 'text',
      range: 'text',
      district: 'text',
      unit_id: 'text',
      platform: 'text',
      clauses: 'text[]',
      status: 'text',
      stage: 'text',
      reported_at: 'timestamptz',
      observed_at: 'timestamptz',
      became_known_at: 'timestamptz',
      closed_at: 'timestamptz',
      takedown_notice_id: 'text',
      takedown_due_at: 'timestamptz',
      takedown_removed_at: 'timestamptz',
      finding_outcome: 'text',
      sanction: 'text',
      version: 'integer',
    },
  });
  // Their place (and a finding's officer) is copied from the case by a trigger as each row goes in: not staged.
  readonly notices = new StagedTable({
    table: 'takedown_notices',
    key: 'notice_id',
    loadBy: 'case_id',
    columns: {
      notice_id: 'text',
      case_id: 'text',
      served_at: 'timestamptz',
      due_at: 'timestamptz',
      removed_at: 'timestamptz',
      within_deadline: 'boolean',
      missed_at: 'timestamptz',
    },
  });
  readonly findings = new StagedTable({
    table: 'findings',
    key: 'event_id',
    loadBy: 'case_id',
    columns: {
      event_id: 'uuid',
      case_id: 'text',
      outcome: 'text',
      clauses: 'text[]',
      recorded_at: 'timestamptz',
      set_aside: 'boolean',
      version: 'integer',
    },
  });
  readonly sanctions = new StagedTable({
    table: 'sanctions',
    key: 'event_id',
    loadBy: 'case_id',
    columns: {
      event_id: 'uuid',
      case_id: 'text',
      imposed: 'text',
      severity: 'text',
      imposed_at: 'timestamptz',
      standing: 'text',
      outcome: 'text',
      version: 'integer',
    },
  });
  // The row first: the others' trigger copies its place.
  protected tables = () => [this.cases, this.notices, this.findings, this.sanctions];

  /** Moves the case's row on to the event (advanceRow); answers whether it moved: its other tables change only then. */
  advance(envelope: EventEnvelope<object>, patch?: (row: Row) => Row): boolean {
    return advanceRow(this.cases, envelope, patch);
  }

  /** A notice of one of the transaction's cases; one it does not know changes nothing (as an UPDATE of no row). */
  changeNotice(noticeId: string, patch: Row): void {
    if (this.notices.get(noticeId)) this.notices.change(noticeId, patch);
  }

  /** The case's latest finding or sanction (the highest version), if it has one. */
  changeLatest(table: StagedTable, caseId: string, patch: Row): void {
    const [latest] = table.where('case_id', caseId).sort((a, b) => (b['version'] as number) - (a['version'] as number));
    if (latest) table.change(String(latest[table.shape.key]), patch);
  }
}

export const caseStages = new PerTransaction(() => new CaseStage());

/** The transaction's stage, with the case read. */
export const caseStage = (manager: EntityManager, caseId: string): Promise<CaseStage> => caseStages.of(manager).forStreams(manager, [caseId]);

/** Events of a case that change nothing in its row but its version. */
const versionOnly = async (envelope: EventEnvelope<object>, manager: EntityManager): Promise<void> => {
  (await caseStage(manager, envelope.streamId)).advance(envelope);
};

/** Case events belong to the case's stream; an officer's flag is on the same topic but the officer's own stream. */
const isCaseEvent = (type: string): boolean => Object.hasOwn(casesContracts, type) && !OFFICER_STREAM_EVENT_TYPES.includes(type as CaseContractType);

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
      const stage = await caseStage(manager, data.caseId);
      stage.cases.add({
        case_id: data.caseId,
        officer_service_number: data.officer.serviceNumber,
        officer_name: data.officer.name,
        officer_rank: data.officer.rank,
        officer_unit_id: data.officer.unitId,
        province: data.jurisdiction.province,
        range: data.jurisdiction.range ?? null,
        district: data.jurisdiction.district ?? null,
        // As the case records it, like violation-service: scope compares the case's own unit.
        unit_id: data.jurisdiction.unitId ?? null,
        platform: data.platform,
        clauses: data.policy.clauses,
        status: 'open',
        stage: 'investigating',
        reported_at: data.reportedAt,
        observed_at: data.observedAt ?? null,
        became_known_at: data.becameKnownAt ?? null,
        version: streamVersion,
      });
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
      const { noticeId, dueAt, servedAt, caseId } = e.data;
      const stage = await caseStage(m, e.streamId);
      if (!stage.advance(e, () => ({ takedown_notice_id: noticeId, takedown_due_at: dueAt, takedown_removed_at: null }))) return;
      stage.notices.add({ notice_id: noticeId, case_id: caseId, served_at: servedAt, due_at: dueAt });
    }),
    ContentRemovalConfirmed: onCaseEvent('ContentRemovalConfirmed', async (e, m) => {
      const stage = await caseStage(m, e.streamId);
      if (!stage.advance(e, () => ({ takedown_removed_at: e.data.verifiedAt }))) return;
      stage.changeNotice(e.data.noticeId, { removed_at: e.data.verifiedAt, within_deadline: e.data.withinDeadline });
    }),
    TakedownDeadlineMissed: onCaseEvent('TakedownDeadlineMissed', async (e, m) => {
      const stage = await caseStage(m, e.streamId);
      if (!stage.advance(e)) return;
      stage.changeNotice(e.data.noticeId, { missed_at: e.data.missedAt });
    }),
    FindingRecorded: onCaseEvent('FindingRecorded', async (e, m) => {
      const stage = await caseStage(m, e.streamId);
      if (!stage.advance(e, () => ({ stage: 'found', finding_outcome: e.data.outcome }))) return;
      stage.findings.add({
        event_id: e.eventId,
        case_id: e.data.caseId,
        outcome: e.data.outcome,
        clauses: e.data.clauses ?? [],
        recorded_at: e.data.recordedAt,
        set_aside: false,
        version: e.streamVersion,
      });
    }),
    SanctionImposed: onCaseEvent('SanctionImposed', async (e, m) => {
      const stage = await caseStage(m, e.streamId);
      if (!stage.advance(e, () => ({ stage: 'sanctioned', sanction: e.data.sanction }))) return;
      stage.sanctions.add({
        event_id: e.eventId,
        case_id: e.data.caseId,
        imposed: e.data.sanction,
        severity: e.data.severity,
        imposed_at: e.data.imposedAt,
        standing: e.data.sanction,
        outcome: 'standing',
        version: e.streamVersion,
      });
    }),
    AppealFiled: onCaseEvent('AppealFiled', async (e, m) => {
      (await caseStage(m, e.streamId)).advance(e, () => ({ stage: 'under-appeal' }));
    }),
    AppealDecided: onCaseEvent('AppealDecided', async (e, m) => {
      const stage = await caseStage(m, e.streamId);
      const { caseId } = e.data;
      switch (e.data.outcome) {
        case 'upheld':
          // The appeal succeeded: the finding and any sanction are set aside.
          if (!stage.advance(e, () => ({ stage: 'set-aside', sanction: null }))) return;
          stage.changeLatest(stage.findings, caseId, { set_aside: true });
          stage.changeLatest(stage.sanctions, caseId, { standing: null, outcome: 'set-aside' });
          return;
        case 'sanction-reduced':
          if (!stage.advance(e, () => ({ stage: 'sanctioned', sanction: e.data.reducedTo }))) return;
          stage.changeLatest(stage.sanctions, caseId, { standing: e.data.reducedTo, outcome: 'reduced' });
          return;
        default:
          // Dismissed: the decision appealed stands.
          stage.advance(e, (row) => ({ stage: row['sanction'] === null ? 'found' : 'sanctioned' }));
      }
    }),
    CaseClosed: onCaseEvent('CaseClosed', async (e, m) => {
      (await caseStage(m, e.streamId)).advance(e, () => ({ status: 'closed', closed_at: e.data.closedAt }));
    }),
    // A reopened case is investigated afresh; its earlier finding and sanction stay in their tables.
    CaseReopened: onCaseEvent('CaseReopened', async (e, m) => {
      (await caseStage(m, e.streamId)).advance(e, () => ({
        status: 'open',
        stage: 'investigating',
        finding_outcome: null,
        sanction: null,
        closed_at: null,
      }));
    }),
  },
  // Every case the transaction's events belong to, read at once (its row, notices, findings and sanctions).
  onArrivals: async (arrivals, manager) => {
    const caseIds = arrivals.filter(({ envelope }) => isCaseEvent(envelope.type)).map(({ envelope }) => envelope.streamId);
    await caseStages.of(manager).forStreams(manager, caseIds);
  },
  beforeCommit: async (manager) => {
    await caseStages.take(manager)?.write(manager);
  },
};
