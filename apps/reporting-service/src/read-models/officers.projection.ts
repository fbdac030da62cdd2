import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@conduct/messaging';
import { onCaseEvent } from './cases.projection';
import { ReadModel } from './read-model';

/**
 * One history line of an officer, keyed by the event, so a redelivery or a replay adds nothing.
 * The officer of a case event other than the report is the one the case's report named (the
 * `cases` row, written by an earlier event of the same stream).
 */
async function recordCaseStep(
  manager: EntityManager,
  envelope: EventEnvelope<{ caseId: string }>,
  at: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await manager.query(
    `INSERT INTO officer_history (event_id, service_number, case_id, type, at, province, range, district, unit_id, detail)
     SELECT $1, officer_service_number, case_id, $3, $4, province, range, district, unit_id, $5 FROM cases WHERE case_id = $2
     ON CONFLICT (event_id) DO NOTHING`,
    [envelope.eventId, envelope.data.caseId, envelope.type, at, detail],
  );
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
    ViolationReported: onCaseEvent('ViolationReported', async (e, m) => {
      const { data } = e;
      await m.query(
        `INSERT INTO officer_history (event_id, service_number, case_id, type, at, province, range, district, unit_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
        [
          e.eventId,
          data.officer.serviceNumber,
          data.caseId,
          e.type,
          data.reportedAt,
          data.jurisdiction.province,
          data.jurisdiction.range ?? null,
          data.jurisdiction.district ?? null,
          data.jurisdiction.unitId ?? null,
          { clauses: data.policy.clauses, platform: data.platform },
        ],
      );
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
    EarlyInterventionFlagRaised: onCaseEvent('EarlyInterventionFlagRaised', async (e, m) => {
      const { data } = e;
      const place = e.jurisdiction;
      const values = [place?.province ?? null, place?.range ?? null, place?.district ?? null, place?.unitId ?? null];
      await m.query(
        `INSERT INTO early_intervention_flags (event_id, service_number, case_ids, raised_at, window_start, province, range, district, unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
        [e.eventId, data.serviceNumber, data.caseIds, data.raisedAt, data.windowStart, ...values],
      );
      await m.query(
        `INSERT INTO officer_history (event_id, service_number, case_id, type, at, province, range, district, unit_id, detail)
         VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
        [e.eventId, data.serviceNumber, e.type, data.raisedAt, ...values, { caseIds: data.caseIds, threshold: data.threshold }],
      );
    }),
  },
};
