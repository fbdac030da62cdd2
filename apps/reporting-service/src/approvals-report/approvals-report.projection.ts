import { EntityManager } from 'typeorm';
import { approvalContracts, officialAccountContracts, orgUnitContracts } from '@conduct/approvals-contracts';
import { EventEnvelope } from '@conduct/messaging';
import { ReadModel } from '../read-models/read-model';
import { Row, stagedStreamRows } from '../read-models/staged-rows';

const approvals = stagedStreamRows(
  approvalContracts,
  {
    table: 'approvals_report',
    key: 'approval_id',
    version: 'last_stream_version',
    stampedAt: 'updated_at',
    columns: {
      approval_id: 'text',
      requester_id: 'text',
      province: 'text',
      range: 'text',
      district: 'text',
      unit_id: 'text',
      platform: 'text',
      official_account_id: 'text',
      title: 'text',
      features: 'text[]',
      status: 'text',
      requested_at: 'timestamptz',
      decided_at: 'timestamptz',
      published_at: 'timestamptz',
      refused_publications: 'integer',
      last_event_id: 'uuid',
      last_stream_version: 'integer',
    },
  },
  // Official accounts and org units share the topic, on streams of their own.
  (type) => Object.hasOwn(approvalContracts, type) && !Object.hasOwn(officialAccountContracts, type) && !Object.hasOwn(orgUnitContracts, type),
);

const { on } = approvals;

/** Moves the approval's row on to this event (advanceRow), recording which event it was. */
async function change(manager: EntityManager, envelope: EventEnvelope<object>, patch: (row: Row) => Row): Promise<void> {
  await approvals.advance(manager, envelope, (row) => ({ ...patch(row), last_event_id: envelope.eventId }));
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
      (await approvals.rows(manager, [envelope.streamId])).add({
        approval_id: data.approvalId,
        requester_id: data.requester.id,
        province: data.jurisdiction.province,
        range: data.jurisdiction.range ?? null,
        district: data.jurisdiction.district ?? null,
        unit_id: data.jurisdiction.unitId ?? data.requester.unitId,
        platform: data.platform,
        official_account_id: data.officialAccountId,
        title: data.title,
        features: data.features,
        status: 'pending',
        requested_at: data.requestedAt,
        refused_publications: 0,
        last_event_id: envelope.eventId,
        last_stream_version: envelope.streamVersion,
      });
    }),
    ApprovalGranted: on('ApprovalGranted', (e, m) => change(m, e, () => ({ status: 'granted', decided_at: e.data.decidedAt }))),
    ApprovalRejected: on('ApprovalRejected', (e, m) => change(m, e, () => ({ status: 'rejected', decided_at: e.data.decidedAt }))),
    ApprovalWithdrawn: on('ApprovalWithdrawn', (e, m) => change(m, e, () => ({ status: 'withdrawn' }))),
    ApprovalRevoked: on('ApprovalRevoked', (e, m) => change(m, e, () => ({ status: 'revoked' }))),
    ApprovalExpired: on('ApprovalExpired', (e, m) => change(m, e, () => ({ status: 'expired' }))),
    ContentPublished: on('ContentPublished', (e, m) => change(m, e, () => ({ status: 'published', published_at: e.data.publishedAt }))),
    PublicationRefused: on('PublicationRefused', (e, m) =>
      change(m, e, (row) => ({ refused_publications: (row['refused_publications'] as number) + 1 })),
    ),
  },
  onArrivals: approvals.onArrivals,
  beforeCommit: approvals.beforeCommit,
};
