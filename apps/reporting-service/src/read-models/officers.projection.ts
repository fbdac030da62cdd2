import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@conduct/messaging';
import { caseStage, onCaseEvent } from './cases.projection';
import { ReadModel } from './read-model';
import { PerTransaction, Row, Stage, StagedTable } from './staged-rows';

const PLACE = { province: 'text', range: 'text', district: 'text', unit_id: 'text' };

/** What one inbox transaction adds to officers' history and flags, written before its commit (staged-rows.ts). */
class OfficerStage extends Stage {
  readonly history = new StagedTable({
    table: 'officer_history',
    key: 'event_id',
    columns: { event_id: 'uuid', service_number: 'text', case_id: 'text', type: 'text', at: 'timestamptz', ...PLACE, detail: 'jsonb' },
  });
  readonly flags = new StagedTable({
    table: 'early_intervention_flags',
    key: 'event_id',
    columns: { event_id: 'uuid', service_number: 'text', case_ids: 'text[]', raised_at: 'timestamptz', window_start: 'timestamptz', ...PLACE },
  });
  // Only added to, never read.
  protected tables = () => [this.history, this.flags];
}

const officerStages = new PerTransaction(() => new OfficerStage());

/**
 * One history line of an officer, keyed by the event, so a redelivery or a replay adds nothing.
 * The officer of a case event other than the report is the one the case's report named (the
 * `cases` row, as the transaction has it: an earlier event of the same stream wrote it).
 */
async function recordCaseStep(
  manager: EntityManager,
  envelope: EventEnvelope<{ caseId: string }>,
  at: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const { caseId } = envelope.data;
  const row = (await caseStage(manager, caseId)).cases.get(caseId);
  if (!row) return;
  officerStages.of(manager).history.add({
    event_id: envelope.eventId,
    service_number: row['officer_service_number'],
    case_id: caseId,
    type: envelope.type,
    at,
    province: row['province'],
    range: row['range'],
    district: row['district'],
    unit_id: row['unit_id'],
    detail,
  } satisfies Row);
}

/**
 * `officer_history`: what happened to each officer, case by case, in order of business time.
 * `early_intervention_flags`: the flags raised on officers (their own stream, keyed by service
 * number), placed in the hierarchy by the envelope's jurisdiction.
 */
export const officersReadModel: ReadModel = {
  name: 'officers',
  ddl: [
    `CREATE TABLE officer_history (
       event_id       uuid        PRIMARY KEY,
       service_number text        NOT NULL,
       case_id        text,
       type           text        NOT NULL,
       at             timestamptz NOT NULL,
       province       text,
       range          text,
       district       text,
       unit_id        text,
       detail         jsonb       NOT NULL
     )`,
    `CREATE INDEX officer_history_officer_idx ON officer_history (service_number, at)`,
    `CREATE TABLE early_intervention_flags (
       event_id       uuid        PRIMARY KEY,
       service_number text        NOT NULL,
       case_ids       text[]      NOT NULL,
       raised_at      timestamptz NOT NULL,
       window_start   timestamptz NOT NULL,
       province       text,
       range          text,
       district       text,
       unit_id        text
     )`,
    `CREATE INDEX early_intervention_flags_officer_idx ON early_intervention_flags (service_number)`,
  ],
  handlers: {
    ViolationReported: onCaseEvent('ViolationReported', (e, m) => {
      const { data } = e;
      officerStages.of(m).history.add({
        event_id: e.eventId,
        service_number: data.officer.serviceNumber,
        case_id: data.caseId,
        type: e.type,
        at: data.reportedAt,
        province: data.jurisdiction.province,
        range: data.jurisdiction.range ?? null,
        district: data.jurisdiction.district ?? null,
        unit_id: data.jurisdiction.unitId ?? null,
        detail: { clauses: data.policy.clauses, platform: data.platform },
      });
      return Promise.resolve();
    }),
    TakedownDeadlineMissed: onCaseEvent('TakedownDeadlineMissed', (e, m) => recordCaseStep(m, e, e.data.missedAt, { noticeId: e.data.noticeId })),
    FindingRecorded: onCaseEvent('FindingRecorded', (e, m) =>
      recordCaseStep(m, e, e.data.recordedAt, { outcome: e.data.outcome, clauses: e.data.clauses ?? [] }),
    ),
    SanctionImposed: onCaseEvent('SanctionImposed', (e, m) =>
      recordCaseStep(m, e, e.data.imposedAt, { sanction: e.data.sanction, severity: e.data.severity }),
    ),
    AppealDecided: onCaseEvent('AppealDecided', (e, m) =>
      recordCaseStep(m, e, e.data.decidedAt, { outcome: e.data.outcome, ...(e.data.reducedTo ? { reducedTo: e.data.reducedTo } : {}) }),
    ),
    CaseClosed: onCaseEvent('CaseClosed', (e, m) => recordCaseStep(m, e, e.data.closedAt, {})),
    CaseReopened: onCaseEvent('CaseReopened', (e, m) => recordCaseStep(m, e, e.data.reopenedAt, {})),
    EarlyInterventionFlagRaised: onCaseEvent('EarlyInterventionFlagRaised', (e, m) => {
      const { data } = e;
      const place = e.jurisdiction;
      const where = {
        province: place?.province ?? null,
        range: place?.range ?? null,
        district: place?.district ?? null,
        unit_id: place?.unitId ?? null,
      };
      const stage = officerStages.of(m);
      const flag = {
        event_id: e.eventId,
        service_number: data.serviceNumber,
        case_ids: data.caseIds,
        raised_at: data.raisedAt,
        window_start: data.windowStart,
      };
      stage.flags.add({ ...flag, ...where });
      stage.history.add({
        event_id: e.eventId,
        service_number: data.serviceNumber,
        case_id: null,
        type: e.type,
        at: data.raisedAt,
        ...where,
        detail: { caseIds: data.caseIds, threshold: data.threshold },
      });
      return Promise.resolve();
    }),
  },
  beforeCommit: async (manager) => {
    await officerStages.take(manager)?.write(manager);
  },
};
