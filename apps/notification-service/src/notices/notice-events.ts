import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventMetadata, EventStore, Jurisdiction } from '@conduct/event-store';
import { NotificationContractType, NotificationStreamTypes } from '@conduct/notifications-contracts';

/** Notices are sent by the service itself; their events record it as such. */
export const NOTICE_ACTOR = { id: 'system:notifications', role: 'SYSTEM' };

/** What every event of one notice carries over from its cause, kept with the pending notice. */
export interface NoticeContext {
  correlationId: string;
  /** The event that caused the notice. */
  causationId: string;
  jurisdiction?: Jurisdiction;
}

export const noticeMetadata = (context: NoticeContext, occurredAt: string): EventMetadata => ({
  actor: NOTICE_ACTOR,
  correlationId: context.correlationId,
  causationId: context.causationId,
  occurredAt,
  // The relay puts it into the envelope: reporting places the notice on the case's timeline.
  ...(context.jurisdiction ? { jurisdiction: context.jurisdiction } : {}),
});

/**
 * Appends one event to a notice's stream in the caller's transaction, after the version the
 * stream has now. Callers hold the notice's pending row lock (or queue it), so nobody else
 * appends to the stream meanwhile.
 */
export async function appendNoticeEvent(
  store: EventStore,
  manager: EntityManager,
  notificationId: string,
  type: Exclude<NotificationContractType, `Webhook${string}`>,
  data: object,
  context: NoticeContext,
  occurredAt: string,
): Promise<void> {
  const version = await store.streamVersion(notificationId, { manager });
  await store.append(
    notificationId,
    NotificationStreamTypes.notification,
    version,
    [{ eventId: randomUUID(), type, data, metadata: noticeMetadata(context, occurredAt) }],
    { manager },
  );
}
