import { ApprovalRequestedV1, approvalContracts } from '@conduct/approvals-contracts';
import { defineHandler, InboxHandler } from '@conduct/messaging';

/**
 * Keeps `approvals_report` (one row per approval request) up to date from conduct.approvals.v1.
 * Runs inside the inbox transaction, so a redelivered event changes nothing.
 */
export const approvalsReportHandlers: Record<string, InboxHandler<object>> = {
  ApprovalRequested: defineHandler<ApprovalRequestedV1>({
    contract: approvalContracts.ApprovalRequested.data,
    schemaVersion: approvalContracts.ApprovalRequested.schemaVersion,
    async handle(envelope, manager) {
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
    },
  }),
};
