import { EntityManager } from 'typeorm';
import { activeTraceparent, ConcurrencyError, DuplicateEventIdError, EventStore, idempotentStreamId } from '@conduct/event-store';
import { sharedCounter } from '@conduct/messaging';
import { PersonalDataKeys } from '@conduct/personal-data';
import { CancellationReason, NoticeKind, NotificationQueuedV1, NotificationStreamTypes } from '@conduct/notifications-contracts';
import { Recipient } from '../directory/recipient.dto';
import { resolveRecipient } from '../directory/recipient-directory';
import { appendNoticeEvent, NoticeContext, noticeMetadata } from '../notice-events';
import { NoticeFacts, renderNotice } from '../templates/notice-templates';
import { NoticeIntake } from './notice-intake';
import { Audience, audienceKey, notificationIdFor } from './notice-rules';

/** One notice a consumer decided on, before the directory and the template are applied. */
export interface PlannedNotice {
  kind: NoticeKind;
  audience: Audience;
  facts: NoticeFacts;
  sendAfter: Date;
  reminderOffsetHours?: number;
  caseId?: string;
  approvalId?: string;
  /** The takedown notice a notice or reminder is about. */
  noticeId?: string;
  /** The show-cause notice a notice or reminder is about (kept on the pending row only: its reply or lapse cancels the reminders). */
  showCauseId?: string;
}

/** The message exactly as it will be mailed: rendered when queued, so the audit log shows what was sent. */
export interface QueuedMessage {
  to: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
}

export type QueueOutcome = 'queued' | 'duplicate' | 'unresolved';

const unresolvedNotices = sharedCounter(
  'conduct_notices_unresolved_total',
  'Notices not queued because the directory had no entry for their audience',
  ['kind', 'role'],
);

interface Source {
  eventId: string;
  type: string;
}

/**
 * Queues one notice in the consumer's inbox transaction: NotificationQueued on the notice's own
 * stream (id derived from the cause), its pending row for the dispatcher and its audit log row.
 * A notice whose stream already exists (a replayed cause) queues nothing. An audience without a
 * directory entry is recorded as `unresolved` in the audit log (no event: NotificationQueued
 * needs an address) and counted, and the consumer carries on.
 */
export async function queueNotice(
  intake: Pick<NoticeIntake, 'store' | 'personalData' | 'warn'>,
  manager: EntityManager,
  source: Source,
  context: NoticeContext,
  planned: PlannedNotice,
  now: Date,
): Promise<QueueOutcome> {
  const { store, warn } = intake;
  const notificationId = notificationIdFor(source.eventId, planned.kind, planned.audience, planned.reminderOffsetHours);
  const recipient = await sealedRecipient(intake.personalData, await resolveRecipient(manager, planned.audience));
  const queuedAt = now.toISOString();
  const logRow = {
    id: notificationId,
    kind: planned.kind,
    caseId: planned.caseId ?? null,
    approvalId: planned.approvalId ?? null,
    noticeId: planned.noticeId ?? null,
    role: planned.audience.role,
    jurisdiction: context.jurisdiction,
  };
  if (!recipient) {
    const reason = `no directory entry for ${audienceKey(planned.audience)} (unit ${planned.audience.unitId})`;
    warn(`notice ${planned.kind} from ${source.type} ${source.eventId} not queued: ${reason}`);
    unresolvedNotices.inc({ kind: planned.kind, role: planned.audience.role });
    await manager.query(
      `INSERT INTO notifications_log (notification_id, kind, status, reason, case_id, approval_id, notice_id, recipient_role, recipient_id,
                                      source_event_id, source_event_type, send_after, queued_at, updated_at, province, range, district, unit_id)
       VALUES ($1, $2, 'unresolved', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING`,
      [
        logRow.id,
        logRow.kind,
        reason,
        logRow.caseId,
        logRow.approvalId,
        logRow.noticeId,
        logRow.role,
        planned.audience.role === 'OFFICER' ? planned.audience.serviceNumber : null,
        source.eventId,
        source.type,
        planned.sendAfter,
        queuedAt,
        ...jurisdictionColumns(context),
      ],
    );
    return 'unresolved';
  }

  const message: QueuedMessage = {
    to: recipient.email,
    toName: recipient.name,
    ...renderNotice(planned.facts, recipient.language === 'ur' ? 'ur' : 'en', recipient.name),
  };
  const recipientId = planned.audience.role === 'OFFICER' ? planned.audience.serviceNumber : recipient.id;
  const queued: NotificationQueuedV1 = {
    notificationId,
    kind: planned.kind,
    channel: 'email',
    ...(planned.caseId ? { caseId: planned.caseId } : {}),
    ...(planned.approvalId ? { approvalId: planned.approvalId } : {}),
    ...(planned.noticeId ? { noticeId: planned.noticeId } : {}),
    recipient: { role: planned.audience.role, id: recipientId, name: recipient.name, address: recipient.email, language: recipient.language },
    subject: message.subject,
    sourceEventId: source.eventId,
    sourceEventType: source.type,
    sendAfter: planned.sendAfter.toISOString(),
    queuedAt,
  };
  // A failed statement would abort the whole inbox transaction: the savepoint keeps it usable.
  await manager.query('SAVEPOINT queue_notice');
  try {
    await store.append(
      notificationId,
      NotificationStreamTypes.notification,
      0,
      [
        {
          eventId: idempotentStreamId('notification-queued', notificationId, 'v1'),
          type: 'NotificationQueued',
          data: queued,
          metadata: noticeMetadata(context, queuedAt),
        },
      ],
      { manager },
    );
    await manager.query('RELEASE SAVEPOINT queue_notice');
  } catch (error) {
    if (!(error instanceof ConcurrencyError || error instanceof DuplicateEventIdError)) throw error;
    await manager.query('ROLLBACK TO SAVEPOINT queue_notice');
    return 'duplicate';
  }
  await manager.query(
    `INSERT INTO pending_notices (notification_id, kind, case_id, approval_id, notice_id, show_cause_id, send_after, next_attempt_at, message, context, trace_context)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10)`,
    [
      notificationId,
      planned.kind,
      logRow.caseId,
      logRow.approvalId,
      logRow.noticeId,
      planned.showCauseId ?? null,
      planned.sendAfter,
      JSON.stringify(message),
      JSON.stringify(context),
      // The send, later, continues the trace of the apply that queued it.
      activeTraceparent(),
    ],
  );
  await manager.query(
    `INSERT INTO notifications_log (notification_id, kind, status, case_id, approval_id, notice_id, recipient_role, recipient_id, recipient_name,
                                    recipient_address, language, subject, source_event_id, source_event_type, send_after, queued_at, updated_at,
                                    province, range, district, unit_id)
     VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19)
     -- A replay may now reach someone the directory lacked the first time: the notice replaces its unresolved row.
     ON CONFLICT (notification_id) DO UPDATE SET status = 'queued', reason = NULL, recipient_id = EXCLUDED.recipient_id,
       recipient_name = EXCLUDED.recipient_name, recipient_address = EXCLUDED.recipient_address, language = EXCLUDED.language,
       subject = EXCLUDED.subject, queued_at = EXCLUDED.queued_at, updated_at = EXCLUDED.updated_at
     WHERE notifications_log.status = 'unresolved'`,
    [
      logRow.id,
      logRow.kind,
      logRow.caseId,
      logRow.approvalId,
      logRow.noticeId,
      logRow.role,
      recipientId,
      recipient.name,
      recipient.email,
      recipient.language,
      message.subject,
      source.eventId,
      source.type,
      planned.sendAfter,
      queuedAt,
      ...jurisdictionColumns(context),
    ],
  );
  return 'queued';
}

/**
 * An officer's own directory entry names a person: their name and address go into the notice's
 * event, its pending message and its log row sealed under their key (ADR 21), opened only to mail
 * and to answer a read. A unit's addresses (an SSP's office, a media cell) are not a person's.
 */
async function sealedRecipient(keys: PersonalDataKeys, recipient: Recipient | undefined): Promise<Recipient | undefined> {
  if (!recipient?.serviceNumber) return recipient;
  return {
    ...recipient,
    name: await keys.seal(recipient.serviceNumber, recipient.name),
    email: await keys.seal(recipient.serviceNumber, recipient.email),
  };
}

const jurisdictionColumns = ({ jurisdiction }: NoticeContext): (string | null)[] => [
  jurisdiction?.province ?? null,
  jurisdiction?.range ?? null,
  jurisdiction?.district ?? null,
  jurisdiction?.unitId ?? null,
];

/** Whose reminders a cancellation takes: one takedown notice's, one show-cause notice's, or every reminder of a case. */
export type ReminderScope = { noticeId: string } | { showCauseId: string } | { caseId: string };

/** The kinds a cancellation may take off the list: reminders only, never the notice itself. */
export const REMINDER_KINDS = ['takedown-reminder', 'show-cause-reminder'] as const satisfies readonly NoticeKind[];

/**
 * A scope's reminders: a takedown notice's are keyed by `notice_id`, a show-cause notice's by
 * `show_cause_id`, each with its own kind, so cancelling one notice's reminders never reaches the
 * other's (even were the two ids equal).
 */
function reminderFilter(scope: ReminderScope): { column: 'notice_id' | 'show_cause_id' | 'case_id'; id: string; kinds: readonly NoticeKind[] } {
  if ('noticeId' in scope) return { column: 'notice_id', id: scope.noticeId, kinds: ['takedown-reminder'] };
  if ('showCauseId' in scope) return { column: 'show_cause_id', id: scope.showCauseId, kinds: ['show-cause-reminder'] };
  return { column: 'case_id', id: scope.caseId, kinds: REMINDER_KINDS };
}

/**
 * Takes queued, unsent reminders off the dispatcher's list and records each as cancelled. A reminder
 * whose send is in flight (its lease runs) is not touched but marked: the dispatcher settles it
 * when the send ends, as sent if the mail went out, else as cancelled. Never both.
 */
export async function cancelNotices(
  store: EventStore,
  manager: EntityManager,
  scope: ReminderScope,
  reason: CancellationReason,
  now: Date,
): Promise<number> {
  const { column, id, kinds } = reminderFilter(scope);
  const [rows] = await manager.query<[{ notification_id: string; case_id: string | null; context: NoticeContext }[], number]>(
    `DELETE FROM pending_notices
      WHERE kind = ANY($1) AND ${column} = $2 AND (lease_until IS NULL OR lease_until <= $3)
      RETURNING notification_id, case_id, context`,
    [kinds, id, now],
  );
  await manager.query(
    `UPDATE pending_notices SET cancel_reason = $3
      WHERE kind = ANY($1) AND ${column} = $2 AND lease_until > $4`,
    [kinds, id, reason, now],
  );
  for (const row of rows) await recordCancelled(store, manager, row, reason, now.toISOString());
  return rows.length;
}

/** NotificationCancelled on the notice's stream and 'cancelled' in the audit log. */
export async function recordCancelled(
  store: EventStore,
  manager: EntityManager,
  row: { notification_id: string; case_id: string | null; context: NoticeContext },
  reason: string,
  cancelledAt: string,
): Promise<void> {
  await appendNoticeEvent(
    store,
    manager,
    row.notification_id,
    'NotificationCancelled',
    { notificationId: row.notification_id, ...(row.case_id ? { caseId: row.case_id } : {}), reason, cancelledAt },
    row.context,
    cancelledAt,
  );
  await manager.query(`UPDATE notifications_log SET status = 'cancelled', reason = $2, updated_at = $3 WHERE notification_id = $1`, [
    row.notification_id,
    reason,
    cancelledAt,
  ]);
}
