import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage, Topics } from '@conduct/messaging';
import { recordTopics, TopicRecorder } from '@conduct/messaging/testing';
import { CLOCK, Clock, createServiceApp } from '@conduct/service-runtime';
import { startTestService, TestService } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import request from 'supertest';
import { AppModule, SERVICE_NAME } from '../app.module';
import { deliveryIdOf } from './webhook-delivery-policy';
import { webhookFanoutHandlers } from './webhook.consumers';
import { WebhookDispatcher } from './webhook.dispatcher';
import { verifyWebhookSignature, WebhookHeaders } from './webhook-signature';
import { startWebhookReceiver, WebhookReceiver } from './testing/webhook-receiver';

const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };

/** NoteAdded as violation-service's relay puts it on conduct.cases.v1. */
function noteAdded(caseId: string = randomUUID(), jurisdiction: EventEnvelope['jurisdiction'] = karachiSouth): EventEnvelope {
  const now = new Date().toISOString();
  const actor = { id: 'ia-rashid', role: 'IA_INVESTIGATOR' };
  const correlationId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'NoteAdded',
    schemaVersion: 1,
    streamId: caseId,
    streamType: 'case',
    streamVersion: 2,
    occurredAt: now,
    recordedAt: now,
    actor,
    correlationId,
    ...(jurisdiction ? { jurisdiction } : {}),
    data: { caseId, noteId: `note-${randomBytes(3).toString('hex')}`, text: 'The SHO confirms the video was filmed on duty.', addedBy: actor.id, addedAt: now },
    metadata: { actor, correlationId, occurredAt: now, ...(jurisdiction ? { jurisdiction } : {}) },
    prevHash: randomBytes(32).toString('hex'),
    hash: randomBytes(32).toString('hex'),
  };
}

interface DeliveryRow {
  delivery_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
}
interface Subscription {
  subscriptionId: string;
  secret?: string;
}

describe('signed webhooks (real PostgreSQL, Kafka and HTTP receivers)', () => {
  let service: TestService;
  let producer: Producer;
  let notifications: TopicRecorder;
  let receiver: WebhookReceiver;
  let clock: Clock;
  const secret = `whsec_${randomBytes(24).toString('hex')}`;

  const integration = () => service.token({ subject: 'ia-dashboard', roles: ['INTEGRATION'] });
  const api = () => request(service.app.getHttpServer());
  const subscribe = async (body: object, token = integration()): Promise<Subscription> =>
    (await api().post('/webhooks/subscriptions').set('Authorization', `Bearer ${token}`).send(body).expect(201)).body as Subscription;
  const publish = async (envelope: EventEnvelope): Promise<EventEnvelope> => {
    await producer.send({ topic: Topics.cases, messages: [toKafkaMessage(envelope)] });
    return envelope;
  };
  const deliveriesOf = async (eventId: string): Promise<DeliveryRow[]> =>
    (await service.db.query<DeliveryRow>('SELECT delivery_id, status, attempts, next_attempt_at FROM webhook_deliveries WHERE event_id = $1', [eventId])).rows;
  const queued = (eventId: string, count = 1) =>
    eventually(async () => ((await deliveriesOf(eventId)).length >= count ? deliveriesOf(eventId) : false), { what: `${count} deliveries of ${eventId}` });
  const fannedOut = (eventId: string, timeoutMs = 10_000) =>
    eventually(async () => ((await service.db.query(`SELECT 1 FROM inbox WHERE consumer = 'webhook-fanout' AND event_id = $1`, [eventId])).rowCount ?? 0) > 0, {
      what: `the fan-out of ${eventId}`,
      timeoutMs,
    });
  const dispatcher = () => service.app.get(WebhookDispatcher);
  const at = (time: Date) => jest.spyOn(clock, 'now').mockReturnValue(time);
  const publishedOf = async (deliveryId: string, type: string) =>
    eventually(
      () => {
        const found = notifications.messages
          .map((message) => JSON.parse(message.value ?? '{}') as EventEnvelope)
          .filter((envelope) => envelope.streamId === deliveryId && envelope.type === type);
        return found.length > 0 ? found : false;
      },
      { what: `${type} of ${deliveryId} on ${Topics.notifications}` },
    );

  beforeAll(async () => {
    Object.assign(process.env, {
      DISPATCH_INTERVAL_MS: '0',
      WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
      WEBHOOK_RETRY_MAX_MS: String(RETRY_MAX_MS),
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    service = await startTestService(AppModule, SERVICE_NAME);
    clock = service.app.get<Clock>(CLOCK);
    producer = testKafka().producer();
    await producer.connect();
    notifications = await recordTopics(testKafka(), [Topics.notifications]);
    // The fan-out's new consumer group reads the shared topics from the beginning: wait until it is
    // past their history, so that each test waits on its own events only.
    await fannedOut((await publish(noteAdded())).eventId, 90_000);
  }, 120_000);
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await receiver.close();
  });
  afterAll(async () => {
    await notifications?.stop();
    await producer?.disconnect();
    await service?.close();
  });

  it('POSTs a subscribed event as its envelope, signed so that the receiver can verify it and reject tampering and replays', async () => {
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = await publish(noteAdded());
    const [delivery] = await queued(envelope.eventId);
    expect(delivery).toMatchObject({ delivery_id: deliveryIdOf(subscriptionId, envelope.eventId), status: 'pending', attempts: 0 });

    const now = new Date();
    at(now);
    expect(await dispatcher().runOnce()).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [ReceivedWebhookLike];
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      [WebhookHeaders.id]: delivery!.delivery_id,
      [WebhookHeaders.eventType]: 'NoteAdded',
      [WebhookHeaders.timestamp]: String(Math.floor(now.getTime() / 1000)),
    });
    expect(JSON.parse(body)).toEqual(envelope);
    const signed = { secret, body, timestamp: headers[WebhookHeaders.timestamp] as string, signature: headers[WebhookHeaders.signature] as string };
    expect(verifyWebhookSignature({ ...signed, now })).toMatchObject({ valid: true });
    expect(verifyWebhookSignature({ ...signed, now, body: body.replace('filmed on duty', 'filmed off duty') })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verifyWebhookSignature({ ...signed, now: new Date(now.getTime() + 6 * 60_000) })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });

    // The trail on conduct.notifications.v1, placed on the case and in its jurisdiction for the timeline.
    const caseId = envelope.streamId;
    const [queuedEvent] = await publishedOf(delivery!.delivery_id, 'WebhookDeliveryQueued');
    expect(queuedEvent).toMatchObject({ streamType: 'webhook-delivery', jurisdiction: karachiSouth, causationId: envelope.eventId });
    expect(queuedEvent!.data).toMatchObject({ deliveryId: delivery!.delivery_id, subscriptionId, eventId: envelope.eventId, eventType: 'NoteAdded', caseId });
    const [deliveredEvent] = await publishedOf(delivery!.delivery_id, 'WebhookDelivered');
    expect(deliveredEvent!.data).toMatchObject({ subscriptionId, caseId, attempt: 1, statusCode: 204, deliveredAt: now.toISOString() });

    const log = await api().get(`/webhooks/deliveries?caseId=${caseId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(log.body).toMatchObject({ total: 1, items: [{ deliveryId: delivery!.delivery_id, status: 'delivered', attempts: 1, lastStatusCode: 204 }] });
    const detail = await api().get(`/webhooks/deliveries/${delivery!.delivery_id}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(detail.body.event).toEqual(envelope);
    expect(detail.body.history).toMatchObject([
      { version: 1, kind: 'queued', actor: 'system:webhooks' },
      { version: 2, kind: 'delivered', attempt: 1, statusCode: 204 },
    ]);
  });
});

type ReceivedWebhookLike = { headers: Record<string, string | string[] | undefined>; body: string };
