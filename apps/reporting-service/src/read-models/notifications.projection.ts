import { notificationContracts } from '@conduct/notifications-contracts';
import { projection } from '@conduct/messaging';
import { ReadModel } from './read-model';

const { on, move: change } = projection(notificationContracts, { table: 'notifications', id: 'notification_id', version: 'version' });

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
      await m.query(
        `INSERT INTO notifications (notification_id, kind, case_id, approval_id, recipient_role, recipient_id, status, queued_at,
                                    province, range, district, unit_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12)
         ON CONFLICT (notification_id) DO NOTHING`,
        [
          data.notificationId,
          data.kind,
          data.caseId ?? null,
          data.approvalId ?? null,
          data.recipient.role,
          data.recipient.id,
          data.queuedAt,
          e.jurisdiction?.province ?? null,
          e.jurisdiction?.range ?? null,
          e.jurisdiction?.district ?? null,
          e.jurisdiction?.unitId ?? null,
          e.streamVersion,
        ],
      );
    }),
    NotificationSent: on('NotificationSent', (e, m) => change(m, e, `status = 'sent', sent_at = $3, attempts = $4`, [e.data.sentAt, e.data.attempt])),
    NotificationFailed: on('NotificationFailed', (e, m) =>
      change(m, e, `status = CASE WHEN $5::boolean THEN 'failed' ELSE 'retrying' END, failed_at = $3, attempts = $4`, [
        e.data.failedAt,
        e.data.attempt,
        e.data.final,
      ]),
    ),
    NotificationCancelled: on('NotificationCancelled', (e, m) => change(m, e, `status = 'cancelled', cancelled_at = $3`, [e.data.cancelledAt])),
  },
};
