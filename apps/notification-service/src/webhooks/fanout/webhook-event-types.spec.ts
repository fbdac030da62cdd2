import { approvalContracts } from '@conduct/approvals-contracts';
import { casesContracts } from '@conduct/cases-contracts';
import { notificationContracts } from '@conduct/notifications-contracts';
import { EventStore } from '@conduct/event-store';
import { systemClock } from '@conduct/event-sourcing';
import { webhookFanoutHandlers as fanoutHandlersWith } from './webhook-fanout.consumer';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

// Built to look at, never run: no event goes through them, so no store is needed.
const webhookFanoutHandlers = fanoutHandlersWith({ clock: systemClock, store: {} as EventStore });

describe('subscribable event types', () => {
  it('are every approval, case and notice event, once each', () => {
    const expected = [
      ...Object.keys(approvalContracts),
      ...Object.keys(casesContracts),
      'NotificationQueued',
      'NotificationSent',
      'NotificationFailed',
      'NotificationCancelled',
    ];
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual(expected.sort());
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
  });

  it('leave out the webhook delivery events, which every delivery publishes (no loops)', () => {
    const webhookTypes = Object.keys(notificationContracts).filter((type) => type.startsWith('Webhook'));
    expect(webhookTypes).toHaveLength(4);
    for (const type of webhookTypes) {
      expect(WEBHOOK_EVENT_TYPES).not.toContain(type);
      expect(webhookFanoutHandlers).not.toHaveProperty(type);
    }
  });

  it('each have a fan-out handler that validates the contract at its schema version', () => {
    expect(Object.keys(webhookFanoutHandlers).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    expect(webhookFanoutHandlers['ViolationReported']).toMatchObject({ contract: casesContracts.ViolationReported.data, schemaVersion: 1 });
  });
});
