import { EntityManager } from 'typeorm';
import { approvalContracts } from '@conduct/approvals-contracts';
import { casesContracts } from '@conduct/cases-contracts';
import { handlerFor, isImported, Topics } from '@conduct/messaging';
import { ConsumerDefinition, ConsumerHandlers } from '@conduct/event-sourcing';
import { CoverageRecorder, Publication } from './coverage-recorder';

/*
 * Approval coverage: a case whose evidence hash equals the media of an approved publication through
 * an official account records ApprovalCoverageFound, whichever of the two arrives first.
 *
 * Each handler runs inside its inbox transaction and takes a transaction-scoped advisory lock on the
 * hash before it writes its row and looks for the other side: the publication and the case evidence
 * of one hash are handled one after the other, so the second always sees the first's committed row
 * and no match is missed when both arrive at once.
 *
 * RecordApprovalCoverage runs through StreamCommands, whose EventStore appends on its own pooled
 * connection, not in the inbox transaction. It cannot deadlock with it: the append touches only the
 * case's events, never the inbox, published_media or case_evidence rows this transaction holds, and
 * the case stream is already committed (it reached us through the relay). If the inbox transaction
 * then fails, the message is retried and the domain refuses the duplicate
 * (case.coverage-already-recorded), which the recorder treats as done: retries are harmless.
 */

const lockHash = (manager: EntityManager, sha256: string): Promise<unknown> =>
  manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [sha256]);

interface PublishedMediaRow {
  approval_id: string;
  official_account_id: string;
  media_sha256: string;
  published_at: Date;
}

/** A case's evidence hash: remember it, and record every approved publication of that media already known. */
async function caseEvidenceSeen(
  recorder: CoverageRecorder,
  manager: EntityManager,
  caseId: string,
  sha256: string,
  correlationId: string,
): Promise<void> {
  await lockHash(manager, sha256);
  await manager.query(`INSERT INTO case_evidence (case_id, sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [caseId, sha256]);
  const publications: PublishedMediaRow[] = await manager.query(
    `SELECT approval_id, official_account_id, media_sha256, published_at FROM published_media WHERE media_sha256 = $1 ORDER BY published_at`,
    [sha256],
  );
  for (const row of publications) {
    const publication: Publication = {
      approvalId: row.approval_id,
      officialAccountId: row.official_account_id,
      mediaSha256: row.media_sha256,
      publishedAt: row.published_at.toISOString(),
    };
    await recorder.record(caseId, publication, correlationId);
  }
}

/** Keeps `published_media` from ContentPublished on conduct.approvals.v1, and covers the cases already reported with that media. */
const publishedMediaHandlers = (recorder: CoverageRecorder): ConsumerHandlers => ({
  ContentPublished: handlerFor(approvalContracts, 'ContentPublished', async ({ data, correlationId }, manager) => {
    await lockHash(manager, data.mediaSha256);
    await manager.query(
      `INSERT INTO published_media (approval_id, media_sha256, official_account_id, url, published_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (approval_id) DO NOTHING`,
      [data.approvalId, data.mediaSha256, data.officialAccountId, data.url, data.publishedAt],
    );
    const cases: { case_id: string }[] = await manager.query(`SELECT case_id FROM case_evidence WHERE sha256 = $1 ORDER BY case_id`, [
      data.mediaSha256,
    ]);
    for (const { case_id: caseId } of cases) {
      await recorder.record(caseId, data, correlationId);
    }
  }),
});

/** Keeps `case_evidence` from this service's own events on conduct.cases.v1, and records coverage already published. */
const approvalCoverageHandlers = (recorder: CoverageRecorder): ConsumerHandlers => ({
  // A legacy case brought in is judged already: its evidence is matched against no approval.
  ViolationReported: handlerFor(casesContracts, 'ViolationReported', async (envelope, manager) => {
    if (isImported(envelope)) return;
    await caseEvidenceSeen(recorder, manager, envelope.data.caseId, envelope.data.evidence.sha256, envelope.correlationId);
  }),
  EvidenceAdded: handlerFor(casesContracts, 'EvidenceAdded', ({ data, correlationId }, manager) =>
    caseEvidenceSeen(recorder, manager, data.caseId, data.evidence.sha256, correlationId),
  ),
});

/** The two consumers of approval coverage, for EventSourcingModule.forRoot({ consumers }). */
export const approvalCoverageConsumers: ConsumerDefinition[] = [
  { name: 'published-media', topics: [Topics.approvals], handlers: (get) => publishedMediaHandlers(get(CoverageRecorder)) },
  { name: 'approval-coverage', topics: [Topics.cases], handlers: (get) => approvalCoverageHandlers(get(CoverageRecorder)) },
];
