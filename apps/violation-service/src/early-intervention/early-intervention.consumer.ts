import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { casesContracts } from '@conduct/cases-contracts';
import { earlyInterventionFor, OFFICER_STREAM_TYPE } from '@conduct/cases-domain';
import { EventStore } from '@conduct/event-store';
import { EventEnvelope, handlerFor, isImported, Topics } from '@conduct/messaging';
import { PolicyCatalogue } from '@conduct/policy';
import { ConsumerDefinition, ConsumerHandlers } from '@conduct/event-sourcing';

/** The service raises the flag itself: no person acts. */
export const EARLY_INTERVENTION_ACTOR = { id: 'system:early-intervention', role: 'SYSTEM' };

/** What judging an officer needs from the app: its event store and its policy packs. */
interface Judge {
  store: EventStore;
  packs: PolicyCatalogue;
}

export class UnknownCaseOfFindingError extends Error {
  constructor(caseId: string) {
    super(`A finding on case ${caseId} arrived before its ViolationReported`);
    this.name = 'UnknownCaseOfFindingError';
  }
}

interface OfficerCaseRow {
  service_number: string;
  pack_id: string;
  pack_version: number;
}

/**
 * Re-judges an officer after their findings changed, as of the event's own time (so a replay
 * decides the same). A transaction-scoped advisory lock on the service number serialises the
 * officer's cases, which arrive on different partitions (key = caseId). The flag is appended to the
 * officer's stream in the inbox transaction itself: recorded exactly when the inbox row is.
 */
async function judgeOfficer(
  { store, packs }: Judge,
  manager: EntityManager,
  caseId: string,
  envelope: EventEnvelope<object>,
  now: string,
): Promise<void> {
  const [officerCase] = await manager.query<OfficerCaseRow[]>(`SELECT service_number, pack_id, pack_version FROM officer_cases WHERE case_id = $1`, [
    caseId,
  ]);
  if (!officerCase) throw new UnknownCaseOfFindingError(caseId);
  const serviceNumber = officerCase.service_number;
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 1))`, [serviceNumber]);
  const pack = packs.find(officerCase.pack_id, officerCase.pack_version);
  if (!pack) throw new Error(`case ${caseId} rests on ${officerCase.pack_id} v${officerCase.pack_version}, which the catalogue does not have`);
  const findings = await manager.query<{ case_id: string; recorded_at: Date }[]>(
    `SELECT case_id, recorded_at FROM officer_findings WHERE service_number = $1`,
    [serviceNumber],
  );
  const flagged = await manager.query<{ case_id: string }[]>(`SELECT case_id FROM officer_flagged_cases WHERE service_number = $1`, [serviceNumber]);
  const flag = earlyInterventionFor(
    {
      serviceNumber,
      substantiatedFindings: findings.map((row) => ({ caseId: row.case_id, recordedAt: row.recorded_at.toISOString() })),
      flaggedCaseIds: flagged.map((row) => row.case_id),
    },
    pack,
    now,
  );
  if (!flag) return;
  const version = await store.streamVersion(serviceNumber, { manager });
  await store.append(
    serviceNumber,
    OFFICER_STREAM_TYPE,
    version,
    [
      {
        eventId: randomUUID(),
        type: flag.type,
        data: flag.data,
        metadata: {
          actor: EARLY_INTERVENTION_ACTOR,
          correlationId: envelope.correlationId,
          causationId: envelope.eventId,
          occurredAt: now,
          ...(envelope.jurisdiction ? { jurisdiction: envelope.jurisdiction } : {}),
        },
      },
    ],
    { manager },
  );
  for (const flaggedCaseId of flag.data.caseIds) {
    await manager.query(`INSERT INTO officer_flagged_cases (service_number, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      serviceNumber,
      flaggedCaseId,
    ]);
  }
}

const dropFinding = (manager: EntityManager, caseId: string): Promise<unknown> =>
  manager.query(`DELETE FROM officer_findings WHERE case_id = $1`, [caseId]);

/** Keeps the per-officer history from this service's events on conduct.cases.v1 and raises EarlyInterventionFlagRaised when due. */
const earlyInterventionHandlers = (judge: Judge): ConsumerHandlers => ({
  ViolationReported: handlerFor(casesContracts, 'ViolationReported', async ({ data }, manager) => {
    await manager.query(
      `INSERT INTO officer_cases (case_id, service_number, pack_id, pack_version) VALUES ($1, $2, $3, $4) ON CONFLICT (case_id) DO NOTHING`,
      [data.caseId, data.officer.serviceNumber, data.policy.packId, data.policy.version],
    );
  }),
  FindingRecorded: handlerFor(casesContracts, 'FindingRecorded', async (envelope, manager) => {
    const { data } = envelope;
    // One finding stands per case: a later one (after a reopening) replaces it.
    if (data.outcome !== 'substantiated') {
      await dropFinding(manager, data.caseId);
      return;
    }
    await manager.query(
      `INSERT INTO officer_findings (case_id, service_number, recorded_at)
       SELECT case_id, service_number, $2 FROM officer_cases WHERE case_id = $1
       ON CONFLICT (case_id) DO UPDATE SET recorded_at = EXCLUDED.recorded_at`,
      [data.caseId, data.recordedAt],
    );
    // An imported finding counts in the officer's history, but raises no flag (and no notice) of its own.
    if (!isImported(envelope)) await judgeOfficer(judge, manager, data.caseId, envelope, data.recordedAt);
  }),
  // Upheld sets the finding aside; a reopened case's finding is superseded. Neither can raise a flag.
  AppealDecided: handlerFor(casesContracts, 'AppealDecided', async ({ data }, manager) => {
    if (data.outcome === 'upheld') await dropFinding(manager, data.caseId);
  }),
  CaseReopened: handlerFor(casesContracts, 'CaseReopened', async ({ data }, manager) => {
    await dropFinding(manager, data.caseId);
  }),
});

/** The early intervention consumer, for EventSourcingModule.forRoot({ consumers }). */
export const earlyInterventionConsumer: ConsumerDefinition = {
  name: 'early-intervention',
  topics: [Topics.cases],
  handlers: (get) => earlyInterventionHandlers({ store: get(EventStore), packs: get(PolicyCatalogue) }),
};
