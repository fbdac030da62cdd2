import { WebhookHeaders } from '@conduct/notifications-contracts';
import { RunningSystem } from '@conduct/service-testing';
import { SmtpCatcher, WebhookReceiver, withDatabaseClient } from '@conduct/testing';

/**
 * What the outside world received, against what notification-service recorded:
 * - lostEffects: a notice the audit log calls sent with no mail at the catcher, or a webhook
 *   delivery marked delivered that the receiver never got; also a notice or delivery that is due
 *   and not yet out (a settled system has none);
 * - duplicateEffects: a notice that arrived as more than one mail once resends are folded by
 *   `Message-ID` (a resend after a crash keeps it, ADR 7), a mail or a webhook request for nothing
 *   the service queued, or more than one delivery of one event to one subscription once the
 *   receiver folds redeliveries by their `webhook-id`.
 */
export interface EffectsReport {
  lostEffects: string[];
  duplicateEffects: string[];
}

const NOTIFICATION_HEADER = 'x-conduct-notification-id';

export async function checkEffects(system: RunningSystem, outside: { mail?: SmtpCatcher; receiver?: WebhookReceiver }): Promise<EffectsReport> {
  const report: EffectsReport = { lostEffects: [], duplicateEffects: [] };
  const { sent, deliveries } = await withDatabaseClient(system.databaseUrl('notification-service'), async (client) => ({
    sent: (
      await client.query<{ id: string; status: string; due: boolean }>(
        `SELECT notification_id::text AS id, status, status IN ('queued', 'retrying') AND coalesce(send_after <= now(), true) AS due FROM notifications_log`,
      )
    ).rows,
    deliveries: (
      await client.query<{ id: string; subscription: string; event: string; status: string; attempts: number }>(
        `SELECT delivery_id::text AS id, subscription_id::text AS subscription, event_id::text AS event, status, attempts FROM webhook_deliveries`,
      )
    ).rows,
  }));

  if (outside.mail) {
    const messageIds = new Map<string, Set<string>>();
    for (const mail of outside.mail.mails) {
      const header = mail.headers.get(NOTIFICATION_HEADER);
      const notice = typeof header === 'string' ? header : '';
      if (!messageIds.has(notice)) messageIds.set(notice, new Set());
      messageIds.get(notice)!.add(mail.messageId);
    }
    const known = new Set(sent.map((row) => row.id));
    for (const [notice, ids] of messageIds) {
      if (!known.has(notice)) report.duplicateEffects.push(`a mail for notice "${notice}", which notification-service never queued`);
      else if (ids.size > 1) report.duplicateEffects.push(`notice ${notice}: ${ids.size} different mails (${[...ids].join(', ')})`);
    }
    for (const row of sent) {
      if (row.status === 'sent' && !messageIds.has(row.id)) report.lostEffects.push(`notice ${row.id}: sent, but no mail arrived`);
      if (row.due) report.lostEffects.push(`notice ${row.id}: due and not sent yet (${row.status})`);
    }
  }

  if (outside.receiver) {
    const byId = new Map(deliveries.map((delivery) => [delivery.id, delivery]));
    const received = new Map<string, Set<string>>(); // subscription + event → the delivery ids that carried it
    for (const request of outside.receiver.received) {
      const deliveryId = String(request.headers[WebhookHeaders.id] ?? '');
      const delivery = byId.get(deliveryId);
      const eventId = (JSON.parse(request.body) as { eventId?: string }).eventId;
      if (!delivery || delivery.event !== eventId) {
        report.duplicateEffects.push(`a webhook request (id "${deliveryId}", event ${eventId}) that no subscription queued`);
        continue;
      }
      const pair = `${delivery.subscription} ${delivery.event}`;
      if (!received.has(pair)) received.set(pair, new Set());
      received.get(pair)!.add(deliveryId);
    }
    for (const [pair, ids] of received)
      if (ids.size > 1) report.duplicateEffects.push(`subscription and event ${pair}: ${ids.size} different deliveries`);
    for (const delivery of deliveries) {
      if (delivery.status === 'delivered' && !received.has(`${delivery.subscription} ${delivery.event}`)) {
        report.lostEffects.push(`webhook delivery ${delivery.id}: delivered, but the receiver never got it`);
      }
      if (delivery.status === 'pending')
        report.lostEffects.push(`webhook delivery ${delivery.id}: still pending after ${delivery.attempts} attempts`);
    }
  }
  return report;
}
