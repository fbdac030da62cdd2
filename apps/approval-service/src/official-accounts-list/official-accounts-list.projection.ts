import {
  OfficialAccountRegisteredV1,
  OfficialAccountReinstatedV1,
  OfficialAccountSuspendedV1,
  officialAccountContracts,
} from '@conduct/approvals-contracts';
import { defineHandler, EventEnvelope, InboxHandler } from '@conduct/messaging';
import { EntityManager } from 'typeorm';

const { OfficialAccountRegistered, OfficialAccountSuspended, OfficialAccountReinstated } = officialAccountContracts;

/** Moves an account to `status`, unless the row already reflects this or a later event of its stream. */
async function changeStatus(
  manager: EntityManager,
  envelope: EventEnvelope<object>,
  change: { accountId: string; status: 'active' | 'suspended'; reason: string; at: string },
): Promise<void> {
  await manager.query(
    `UPDATE official_accounts_list
        SET status = $2, status_reason = $3, status_changed_at = $4, last_event_id = $5, last_stream_version = $6, updated_at = now()
      WHERE account_id = $1 AND last_stream_version < $6`,
    [change.accountId, change.status, change.reason, change.at, envelope.eventId, envelope.streamVersion],
  );
}

/**
 * Keeps `official_accounts_list` (one row per registered account) up to date from the service's
 * own topic, conduct.approvals.v1. Runs inside the inbox transaction, so a redelivered event
 * changes nothing; the stream-version guard keeps a replayed older event from undoing a newer one.
 */
export const officialAccountsListHandlers: Record<string, InboxHandler<object>> = {
  OfficialAccountRegistered: defineHandler<OfficialAccountRegisteredV1>({
    contract: OfficialAccountRegistered.data,
    schemaVersion: OfficialAccountRegistered.schemaVersion,
    async handle(envelope, manager) {
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
    },
  }),
  OfficialAccountSuspended: defineHandler<OfficialAccountSuspendedV1>({
    contract: OfficialAccountSuspended.data,
    schemaVersion: OfficialAccountSuspended.schemaVersion,
    handle: (envelope, manager) =>
      changeStatus(manager, envelope, { accountId: envelope.data.accountId, status: 'suspended', reason: envelope.data.reason, at: envelope.data.suspendedAt }),
  }),
  OfficialAccountReinstated: defineHandler<OfficialAccountReinstatedV1>({
    contract: OfficialAccountReinstated.data,
    schemaVersion: OfficialAccountReinstated.schemaVersion,
    handle: (envelope, manager) =>
      changeStatus(manager, envelope, { accountId: envelope.data.accountId, status: 'active', reason: envelope.data.reason, at: envelope.data.reinstatedAt }),
  }),
};
