import { notificationContracts } from '@conduct/notifications-contracts';
import { ReadModel } from './read-model';
import { stagedStreamRows } from './staged-rows';

const notifications = stagedStreamRows(
  notificationContracts,
  {
    table: 'notifications',
    key: 'notification_id',
    version: 'version',
    columns: {
      notification_id: 'text',
      kind: 'text',
      case_id: 'text',
      approval_id: 'text',
      recipient_role: 'text',
      recipient_id: 'text',
      status: 'text',
      attempts: 'integer',
      queued_at: 'timestamptz',
      sent_at: 'timestamptz',
      failed_at: 'timestamptz',
      cancelled_at: 'timestamptz',
      province: 'text',
      range: 'text',
      district: 'text',
      unit_id: 'text',
      version: 'integer',
    },
  },
  (type) => Object.hasOwn(notificationContracts, type) && !type.startsWith('Webhook'),
);

const { on } = notifications;

/**
 * `notifications`: one row per notice notification-service queued — what it was about, to whom
 * (by role, never the address), and whether it went out. Placed by the envelope's jurisdiction.
 */
export const notificationsReadModel: ReadModel = {
  name: 'notifications',
  ddl: [
    `CREATE TABLE notifications (
       notification_id text        PRIMARY KEY,
       kind            text        NOT NULL,
       case_id         text,
       approval_id     text,
       recipient_role  text        NOT NULL,
       recipient_id    text        NOT NULL,
       status          text        NOT NULL,
       attempts        integer     NOT NULL DEFAULT 0,
       queued_at       timestamptz NOT NULL,
       sent_at         timestamptz,
       failed_at       timestamptz,
       cancelled_at    timestamptz,
       province        text,
       range           text,
       district        text,
       unit_id         text,
       version         integer     NOT NULL
     )`,
    `CREATE INDEX notifications_case_idx ON notifications (case_id)`,
    `CREATE INDEX notifications_scope_idx ON notifications (province, range, district, unit_id)`,
  ],
  handlers: {
    NotificationQueued: on('NotificationQueued', async (e, m) => {
      const { data } = e;
      (await notifications.rows(m, [e.streamId])).add({
        notification_id: data.notificationId,
        kind: data.kind,
        case_id: data.caseId ?? null,
        approval_id: data.approvalId ?? null,
        recipient_role: data.recipient.role,
        recipient_id: data.recipient.id,
        status: 'queued',
        attempts: 0,
        queued_at: data.queuedAt,
        province: e.jurisdiction?.province ?? null,
        range: e.jurisdiction?.range ?? null,
        district: e.jurisdiction?.district ?? null,
        unit_id: e.jurisdiction?.unitId ?? null,
        version: e.streamVersion,
      });
    }),
    NotificationSent: on('NotificationSent', (e, m) =>
      notifications.advance(m, e, () => ({ status: 'sent', sent_at: e.data.sentAt, attempts: e.data.attempt })),
    ),
    NotificationFailed: on('NotificationFailed', (e, m) =>
      notifications.advance(m, e, () => ({ status: e.data.final ? 'failed' : 'retrying', failed_at: e.data.failedAt, attempts: e.data.attempt })),
    ),
    NotificationCancelled: on('NotificationCancelled', (e, m) =>
      notifications.advance(m, e, () => ({ status: 'cancelled', cancelled_at: e.data.cancelledAt })),
    ),
  },
  onArrivals: notifications.onArrivals,
  beforeCommit: notifications.beforeCommit,
};
