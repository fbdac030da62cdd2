import { approvalContracts } from '@conduct/approvals-contracts';
import { InboxHandler, projection } from '@conduct/messaging';

/**
 * The consumer applies each approval in version order (inStreamOrder), and `change` moves a row on
 * by exactly one version (moveStreamRow); the inbox already drops exact redeliveries.
 */
const { on, move: change } = projection(approvalContracts, { table: 'approvals_list', id: 'approval_id', version: 'version' });

/** Keeps `approvals_list` up to date from this service's own events on conduct.approvals.v1. */
export const approvalsListHandlers: Record<string, InboxHandler<object>> = {
  ApprovalRequested: on('ApprovalRequested', async ({ data, streamVersion }, manager) => {
    await manager.query(
      `INSERT INTO approvals_list (approval_id, requester_id, province, range, district, unit_id, platform,
                                   official_account_id, title, status, requested_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11)
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
        data.requestedAt,
        streamVersion,
      ],
    );
  }),
  ApprovalGranted: on('ApprovalGranted', (e, m) =>
    change(m, e, `status = 'granted', decided_at = $3, valid_until = $4`, [e.data.decidedAt, e.data.validUntil]),
  ),
  ApprovalRejected: on('ApprovalRejected', (e, m) => change(m, e, `status = 'rejected', decided_at = $3`, [e.data.decidedAt])),
  ApprovalWithdrawn: on('ApprovalWithdrawn', (e, m) => change(m, e, `status = 'withdrawn'`)),
  ApprovalRevoked: on('ApprovalRevoked', (e, m) => change(m, e, `status = 'revoked'`)),
  ApprovalExpired: on('ApprovalExpired', (e, m) => change(m, e, `status = 'expired'`)),
  ContentPublished: on('ContentPublished', (e, m) => change(m, e, `status = 'published'`)),
  PublicationRefused: on('PublicationRefused', (e, m) => change(m, e, `refused_publications = refused_publications + 1`)),
};
