import { EntityManager } from 'typeorm';
import { approvalContracts } from '@conduct/approvals-contracts';
import { EventEnvelope, projection } from '@conduct/messaging';
import { ReadModel } from '../read-models/read-model';

const approvals = projection(approvalContracts, { table: 'approvals_report', id: 'approval_id', version: 'last_stream_version' });
const { on } = approvals;

/** Moves the approval's row on to this event (see moveStreamRow); `values` from $4. */
async function change(manager: EntityManager, envelope: EventEnvelope<object>, assignments: string, values: unknown[]): Promise<void> {
  await approvals.move(manager, envelope, `${assignments}, last_event_id = $3, updated_at = now()`, [envelope.eventId, ...values]);
}

/**
 * `approvals_report`: one row per approval request, kept up to date from conduct.approvals.v1 —
 * status, decision time, publication and refused publication attempts. Runs inside the inbox
 * transaction, so a redelivered event changes nothing.
 */
export const approvalsReport: ReadModel = {
  name: 'approvals-report',
  ddl: [
    `CREATE TABLE approvals_report (
       approval_id          text        PRIMARY KEY,
       requester_id         text        NOT NULL,
       province             text        NOT NULL,
       range                text,
       district             text,
       unit_id              text        NOT NULL,
       platform             text        NOT NULL,
       official_account_id  text        NOT NULL,
       title                text        NOT NULL,
       features             text[]      NOT NULL,
       status               text        NOT NULL,
       requested_at         timestamptz NOT NULL,
       decided_at           timestamptz,
       published_at         timestamptz,
       refused_publications integer     NOT NULL DEFAULT 0,
       last_event_id        uuid        NOT NULL,
       last_stream_version  integer     NOT NULL,
       updated_at           timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX approvals_report_scope_idx ON approvals_report (province, range, district, unit_id)`,
    `CREATE INDEX approvals_report_requested_idx ON approvals_report (requested_at DESC)`,
  ],
  handlers: {
    ApprovalRequested: on('ApprovalRequested', async (envelope, manager) => {
      const { data } = envelope;
      await manager.query(
        `INSERT INTO approvals_report (approval_id, requester_id, province, range, district, unit_id, platform,
                                       official_account_id, title, features, status, requested_at,
                                       last_event_id, last_stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13)
         ON CONFLICT (approval_id) DO NOTHING`,
        [
          data.approvalId,
          data.requester.id,
          data.jurisdiction.province,
          data.jurisdiction.range ?? null,
          data.jurisdiction.district ?? null,
          data.jurisdiction.unitId ?? data.requester.unitId,
          data.platform,
          data.officialAccountId,
          data.title,
          data.features,
          data.requestedAt,
          envelope.eventId,
          envelope.streamVersion,
        ],
      );
    }),
    ApprovalGranted: on('ApprovalGranted', (e, m) => change(m, e, `status = 'granted', decided_at = $4`, [e.data.decidedAt])),
    ApprovalRejected: on('ApprovalRejected', (e, m) => change(m, e, `status = 'rejected', decided_at = $4`, [e.data.decidedAt])),
    ApprovalWithdrawn: on('ApprovalWithdrawn', (e, m) => change(m, e, `status = 'withdrawn'`, [])),
    ApprovalRevoked: on('ApprovalRevoked', (e, m) => change(m, e, `status = 'revoked'`, [])),
    ApprovalExpired: on('ApprovalExpired', (e, m) => change(m, e, `status = 'expired'`, [])),
    ContentPublished: on('ContentPublished', (e, m) => change(m, e, `status = 'published', published_at = $4`, [e.data.publishedAt])),
    PublicationRefused: on('PublicationRefused', (e, m) => change(m, e, `refused_publications = refused_publications + 1`, [])),
  },
};
