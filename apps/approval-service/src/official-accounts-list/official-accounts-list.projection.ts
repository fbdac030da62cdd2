import { officialAccountContracts } from '@conduct/approvals-contracts';
import { EntityManager } from 'typeorm';
import { EventEnvelope, InboxHandler, projection } from '@conduct/messaging';

const accounts = projection(officialAccountContracts, { table: 'official_accounts_list', id: 'account_id', version: 'last_stream_version' });
const { on } = accounts;

/**
 * Keeps `official_accounts_list` (one row per registered account) up to date from the service's
 * own topic, conduct.approvals.v1. Runs inside the inbox transaction, so a redelivered event
 * changes nothing; the consumer applies each account's stream in version order, and a status
 * change moves the row on by exactly one version (moveStreamRow).
 */
export const officialAccountsListHandlers: Record<string, InboxHandler<object>> = {
  OfficialAccountRegistered: on('OfficialAccountRegistered', async (envelope, manager) => {
    const { data } = envelope;
    await manager.query(
      `INSERT INTO official_accounts_list (account_id, platform, handle, url, province, range, district, unit_id,
                                           media_team_name, media_team_unit_id, operated_by, status,
                                           registered_by, registered_at, last_event_id, last_stream_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, $13, $14, $15)
       ON CONFLICT (account_id) DO NOTHING`,
      [
        data.accountId,
        data.platform,
        data.handle,
        data.url ?? null,
        data.jurisdiction.province,
        data.jurisdiction.range ?? null,
        data.jurisdiction.district ?? null,
        data.jurisdiction.unitId,
        data.mediaTeam.name,
        data.mediaTeam.unitId,
        data.operatedBy,
        data.registeredBy,
        data.registeredAt,
        envelope.eventId,
        envelope.streamVersion,
      ],
    );
  }),
  OfficialAccountSuspended: on('OfficialAccountSuspended', (e, m) => changeStatus(m, e, 'suspended', e.data.reason, e.data.suspendedAt)),
  OfficialAccountReinstated: on('OfficialAccountReinstated', (e, m) => changeStatus(m, e, 'active', e.data.reason, e.data.reinstatedAt)),
};

/** Moves an account to `status`, with the event that did it. */
function changeStatus(
  manager: EntityManager,
  envelope: EventEnvelope<object>,
  status: 'active' | 'suspended',
  reason: string,
  at: string,
): Promise<boolean> {
  return accounts.move(manager, envelope, `status = $3, status_reason = $4, status_changed_at = $5, last_event_id = $6, updated_at = now()`, [
    status,
    reason,
    at,
    envelope.eventId,
  ]);
}
