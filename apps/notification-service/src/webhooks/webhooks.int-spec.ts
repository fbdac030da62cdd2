import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage, Topics } from '@conduct/messaging';
import { verifyWebhookSignature, WebhookHeaders } from '@conduct/notifications-contracts';
import { Webhook } from 'standardwebhooks';
import { recordTopics, TopicRecorder } from '@conduct/messaging/testing';
import { EventStore } from '@conduct/event-store';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { createServiceApp } from '@conduct/service-runtime';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, metricValue, ReceivedWebhook, startWebhookReceiver, testKafka, WebhookReceiver } from '@conduct/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, SERVICE_NAME } from '../app.module';
import { NotificationServiceConfig } from '../notification-service.config';
import { newCase, violationReported } from '../testing/notice-fixtures';
import { SecretBox } from './subscriptions/secret-box';
import { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { deliveryIdOf } from './deliveries/webhook-delivery-policy';
import { webhookFanoutHandlers } from './fanout/webhook-fanout.consumer';
import { WebhookDispatcher } from './dispatch/webhook-dispatcher';

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
    data: {
      caseId,
      noteId: `note-${randomBytes(3).toString('hex')}`,
      text: 'The SHO confirms the video was filmed on duty.',
      addedBy: actor.id,
      addedAt: now,
    },
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

/** A WEBHOOK_SECRETS_EXTRA_KEYS entry: a webhook secrets key being rotated out. */
const ROTATED_OUT_KEY = randomBytes(32);

describe('signed webhooks (real PostgreSQL, Kafka and HTTP receivers)', () => {
  let service: TestService;
  let producer: Producer;
  let notifications: TopicRecorder;
  let receiver: WebhookReceiver;
  let clock: Clock;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  const integration = () => service.token({ subject: 'ia-dashboard', roles: ['INTEGRATION'] });
  const api = () => request(service.app.getHttpServer());
  const subscribe = async (body: object, token = integration()): Promise<Subscription> =>
    (await api().post('/webhooks/subscriptions').set('Authorization', `Bearer ${token}`).send(body).expect(201)).body as Subscription;
  const publish = async (envelope: EventEnvelope): Promise<EventEnvelope> => {
    await producer.send({ topic: Topics.cases, messages: [toKafkaMessage(envelope)] });
    return envelope;
  };
  const deliveriesOf = async (eventId: string): Promise<DeliveryRow[]> =>
    (
      await service.db.query<DeliveryRow>('SELECT delivery_id, status, attempts, next_attempt_at FROM webhook_deliveries WHERE event_id = $1', [
        eventId,
      ])
    ).rows;
  const queued = (eventId: string, count = 1) =>
    eventually(async () => ((await deliveriesOf(eventId)).length >= count ? deliveriesOf(eventId) : false), {
      what: `${count} deliveries of ${eventId}`,
    });
  const fannedOut = (eventId: string, timeoutMs = 10_000) =>
    eventually(
      async () => ((await service.db.query(`SELECT 1 FROM inbox WHERE consumer = 'webhook-fanout' AND event_id = $1`, [eventId])).rowCount ?? 0) > 0,
      {
        what: `the fan-out of ${eventId}`,
        timeoutMs,
      },
    );
  const dispatcher = () => service.app.get(WebhookDispatcher);
  const at = (time: Date) => jest.spyOn(clock, 'now').mockReturnValue(time);
  /** The events of a delivery's stream seen on conduct.notifications.v1 (waits for at least one that matches). */
  const publishedOf = async (deliveryId: string, type: string, matching: (data: Record<string, unknown>) => boolean = () => true) =>
    eventually(
      () => {
        const found = notifications.messages
          .map((message) => JSON.parse(message.value ?? '{}') as EventEnvelope)
          .filter((envelope) => envelope.streamId === deliveryId && envelope.type === type && matching(envelope.data));
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
      // The key being rotated out: it opens secrets, it never seals one.
      WEBHOOK_SECRETS_EXTRA_KEYS: ROTATED_OUT_KEY.toString('base64'),
    });
    service = await startTestService(AppModule, SERVICE_NAME);
    clock = service.app.get<Clock>(CLOCK);
    producer = testKafka().producer();
    await producer.connect();
    notifications = await recordTopics(testKafka(), [Topics.notifications]);
    // The fan-out's new consumer group reads the shared topics from the beginning: wait until it is
    // past their history, so that each test waits on its own events only.
    await fannedOut((await publish(noteAdded())).eventId, 240_000);
  }, SERVICE_START_TIMEOUT_MS);
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await receiver?.close();
    // Each test counts the deliveries of its own subscriptions: park everything the last one left.
    await service.db.query('UPDATE webhook_subscriptions SET active = false');
  });
  afterAll(async () => {
    delete process.env['WEBHOOK_SECRETS_EXTRA_KEYS'];
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
    const [{ headers, body }] = receiver.received as [ReceivedWebhook];
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      [WebhookHeaders.id]: delivery!.delivery_id,
      [WebhookHeaders.eventType]: 'NoteAdded',
      [WebhookHeaders.timestamp]: String(Math.floor(now.getTime() / 1000)),
    });
    expect(JSON.parse(body)).toEqual(envelope);
    const signed = {
      secret,
      body,
      id: headers[WebhookHeaders.id] as string,
      timestamp: headers[WebhookHeaders.timestamp] as string,
      signature: headers[WebhookHeaders.signature] as string,
    };
    expect(verifyWebhookSignature({ ...signed, now })).toMatchObject({ valid: true });
    // A receiver using the published Standard Webhooks library verifies it the same way.
    jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toEqual(envelope);
    } finally {
      jest.useRealTimers();
    }
    expect(verifyWebhookSignature({ ...signed, now, body: body.replace('filmed on duty', 'filmed off duty') })).toEqual({
      valid: false,
      reason: 'signature-mismatch',
    });
    expect(verifyWebhookSignature({ ...signed, now: new Date(now.getTime() + 6 * 60_000) })).toEqual({
      valid: false,
      reason: 'timestamp-out-of-tolerance',
    });

    // The trail on conduct.notifications.v1, placed on the case and in its jurisdiction for the timeline.
    const caseId = envelope.streamId;
    const [queuedEvent] = await publishedOf(delivery!.delivery_id, 'WebhookDeliveryQueued');
    expect(queuedEvent).toMatchObject({ streamType: 'webhook-delivery', jurisdiction: karachiSouth, causationId: envelope.eventId });
    expect(queuedEvent!.data).toMatchObject({
      deliveryId: delivery!.delivery_id,
      subscriptionId,
      eventId: envelope.eventId,
      eventType: 'NoteAdded',
      caseId,
    });
    const [deliveredEvent] = await publishedOf(delivery!.delivery_id, 'WebhookDelivered');
    expect(deliveredEvent!.data).toMatchObject({ subscriptionId, caseId, attempt: 1, statusCode: 204, deliveredAt: now.toISOString() });

    const log = await api().get(`/webhooks/deliveries?caseId=${caseId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(log.body).toMatchObject({
      total: 1,
      items: [{ deliveryId: delivery!.delivery_id, status: 'delivered', attempts: 1, lastStatusCode: 204 }],
    });
    const detail = await api().get(`/webhooks/deliveries/${delivery!.delivery_id}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(detail.body.event).toEqual(envelope);
    expect(detail.body.history).toMatchObject([
      { version: 1, kind: 'queued', actor: 'system:webhooks' },
      { version: 2, kind: 'delivered', attempt: 1, statusCode: 204 },
    ]);
  });

  it("keeps officers' names from integrations (redacted, and says so) unless an ADMIN grants the subscription personal data", async () => {
    const admin = service.token({ subject: 'admin-1', roles: ['ADMIN'] });
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['ViolationReported'], secret });
    const bodyOf = async (envelope: EventEnvelope) => {
      const [delivery] = await queued(envelope.eventId);
      await dispatcher().runOnce();
      const found = receiver.received.find(({ headers }) => headers[WebhookHeaders.id] === delivery!.delivery_id);
      return JSON.parse(found!.body) as EventEnvelope & { redacted?: string[]; data: { officer: { name: string | null; serviceNumber: string } } };
    };

    const redacted = await bodyOf(await publish(violationReported(newCase('ps-clifton'))));
    expect(redacted.data.officer).toMatchObject({ name: null, serviceNumber: expect.stringMatching(/^KHI-/) });
    expect(redacted.redacted).toEqual(['data.officer.name']);

    // Only an ADMIN grants, with a reason; the grant is on the subscription for all to see.
    await api()
      .put(`/webhooks/subscriptions/${subscriptionId}/personal-data`)
      .set('Authorization', `Bearer ${integration()}`)
      .send({ reason: 'We need the names, please' })
      .expect(403);
    await api()
      .put(`/webhooks/subscriptions/${subscriptionId}/personal-data`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason: 'short' })
      .expect(400);
    const granted = await api()
      .put(`/webhooks/subscriptions/${subscriptionId}/personal-data`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason: 'IA case system writes to officers by name' })
      .expect(200);
    expect(granted.body).toMatchObject({
      subscriptionId,
      personalData: { grantedBy: 'admin-1', reason: 'IA case system writes to officers by name' },
    });
    const whole = await bodyOf(await publish(violationReported(newCase('ps-clifton'))));
    expect(whole.data.officer.name).toBe('Imran Ali');
    expect(whole).not.toHaveProperty('redacted');

    const revoked = await api().delete(`/webhooks/subscriptions/${subscriptionId}/personal-data`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(revoked.body).toMatchObject({ personalData: null });
    expect((await bodyOf(await publish(violationReported(newCase('ps-clifton'))))).data.officer.name).toBeNull();
  });

  it('nudges the dispatcher once the fan-out has committed a delivery, so that it goes out without waiting for the interval', async () => {
    await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = noteAdded();
    const seenAtNudge: Promise<number>[] = [];
    // The timer is off in these tests (DISPATCH_INTERVAL_MS=0), where a nudge does nothing: record what each one would find.
    jest.spyOn(dispatcher(), 'nudge').mockImplementation(() => void seenAtNudge.push(deliveriesOf(envelope.eventId).then((rows) => rows.length)));
    await publish(envelope);
    await fannedOut(envelope.eventId);
    await eventually(() => Promise.resolve(seenAtNudge.length > 0), { what: 'a nudge' });
    expect(await Promise.all(seenAtNudge)).toContain(1);
  });

  it('does not nudge the dispatcher for a fan-out that queued nothing', async () => {
    await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const nudge = jest.spyOn(dispatcher(), 'nudge');
    // A type nobody subscribed to: applied by the fan-out, no delivery queued.
    const unmatched = violationReported(newCase('ps-clifton'));
    await publish(unmatched);
    await fannedOut(unmatched.eventId);
    expect(await deliveriesOf(unmatched.eventId)).toEqual([]);
    expect(nudge).not.toHaveBeenCalled();
    // The same consumer nudges for the next event that does queue one: the spy is live.
    const matched = noteAdded();
    await publish(matched);
    await fannedOut(matched.eventId);
    await eventually(() => Promise.resolve(nudge.mock.calls.length > 0), { what: 'a nudge' });
  });

  it('retries a failing receiver with backoff and jitter, and delivers once it recovers', async () => {
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = await publish(noteAdded());
    const [delivery] = await queued(envelope.eventId);
    const deliveryId = delivery!.delivery_id;
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    receiver.answer(500);

    const firstTry = new Date();
    at(firstTry);
    expect(await dispatcher().runOnce()).toBe(1);
    const [afterFailure] = await deliveriesOf(envelope.eventId);
    // Full jitter with the random draw at 0.5: half of the first backoff step.
    const retryAt = new Date(firstTry.getTime() + RETRY_BASE_MS / 2);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: retryAt });

    at(new Date(retryAt.getTime() - 1));
    expect(await dispatcher().runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(1);

    receiver.answer(200);
    at(retryAt);
    expect(await dispatcher().runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((request) => request.headers[WebhookHeaders.id])).toEqual([deliveryId, deliveryId]);
    // Each attempt is signed afresh with its own timestamp.
    expect(receiver.received.map((request) => request.headers[WebhookHeaders.timestamp])).toEqual([
      String(Math.floor(firstTry.getTime() / 1000)),
      String(Math.floor(retryAt.getTime() / 1000)),
    ]);
    expect(await deliveriesOf(envelope.eventId)).toMatchObject([{ status: 'delivered', attempts: 2, next_attempt_at: null }]);

    const [failed] = await publishedOf(deliveryId, 'WebhookDeliveryFailed');
    expect(failed!.data).toMatchObject({
      subscriptionId,
      attempt: 1,
      statusCode: 500,
      reason: 'HTTP 500 Internal Server Error',
      dead: false,
      nextAttemptAt: retryAt.toISOString(),
    });
    const detail = await api().get(`/webhooks/deliveries/${deliveryId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(detail.body.history).toMatchObject([
      { kind: 'queued' },
      { kind: 'failed', attempt: 1, statusCode: 500, dead: false, nextAttemptAt: retryAt.toISOString() },
      { kind: 'delivered', attempt: 2, statusCode: 200 },
    ]);
    // Per target: what an alert on failing receivers watches.
    expect(await metricValue('conduct_webhook_attempts_total', { subscription: subscriptionId, outcome: 'failed' })).toBe(1);
    expect(await metricValue('conduct_webhook_attempts_total', { subscription: subscriptionId, outcome: 'delivered' })).toBe(1);
  });

  it('parks a delivery as dead after the last attempt, and delivers it again when redelivery is requested', async () => {
    await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = await publish(noteAdded());
    const [{ delivery_id: deliveryId }] = (await queued(envelope.eventId)) as [DeliveryRow];
    receiver.answer(503);

    let now = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      at(now);
      expect(await dispatcher().runOnce()).toBe(1);
      now = new Date(now.getTime() + RETRY_MAX_MS);
    }
    expect(await deliveriesOf(envelope.eventId)).toMatchObject([{ status: 'dead', attempts: MAX_ATTEMPTS, next_attempt_at: null }]);
    const [dead] = await publishedOf(deliveryId, 'WebhookDeliveryFailed', (data) => data['dead'] === true);
    expect(dead?.data).toMatchObject({ attempt: MAX_ATTEMPTS, statusCode: 503, dead: true });
    expect(dead?.data).not.toHaveProperty('nextAttemptAt');
    at(new Date(now.getTime() + 10 * RETRY_MAX_MS));
    expect(await dispatcher().runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);

    // Only the owner (or ADMIN) may ask; another integration does not even see the delivery.
    const stranger = service.token({ subject: 'someone-else', roles: ['INTEGRATION'] });
    await api().post(`/webhooks/deliveries/${deliveryId}/redeliver`).set('Authorization', `Bearer ${stranger}`).expect(404);
    receiver.answer(202);
    const nudge = jest.spyOn(dispatcher(), 'nudge');
    const redelivered = await api().post(`/webhooks/deliveries/${deliveryId}/redeliver`).set('Authorization', `Bearer ${integration()}`).expect(202);
    expect(redelivered.body).toMatchObject({ deliveryId, status: 'pending', attempts: 0 });
    const again = await api().post(`/webhooks/deliveries/${deliveryId}/redeliver`).set('Authorization', `Bearer ${integration()}`).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, code: 'webhook.delivery-pending' });
    // Due at once: the dispatcher is nudged (its timer is off here), not left for its next tick.
    expect(nudge).toHaveBeenCalledTimes(1);

    expect(await dispatcher().runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS + 1);
    expect(receiver.received.at(-1)!.headers[WebhookHeaders.id]).toBe(deliveryId);
    expect(await deliveriesOf(envelope.eventId)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
    const [requested] = await publishedOf(deliveryId, 'WebhookRedeliveryRequested');
    expect(requested).toMatchObject({ actor: { id: 'ia-dashboard', role: 'INTEGRATION' }, jurisdiction: karachiSouth });
    expect(requested!.data).toMatchObject({ deliveryId, requestedBy: 'ia-dashboard', caseId: envelope.streamId });
    const detail = await api().get(`/webhooks/deliveries/${deliveryId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect((detail.body as { history: { kind: string }[] }).history.map((entry) => entry.kind)).toEqual([
      'queued',
      'failed',
      'failed',
      'failed',
      'redelivery-requested',
      'delivered',
    ]);
    const admin = service.token({ subject: 'admin-1', roles: ['ADMIN'] });
    const deadList = await api()
      .get(`/webhooks/deliveries?caseId=${envelope.streamId}&status=delivered`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect((deadList.body as { items: { deliveryId: string }[] }).items.map((item) => item.deliveryId)).toEqual([deliveryId]);
  });

  it('records a receiver that cannot be reached, with the reason', async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const { subscriptionId } = await subscribe({ targetUrl: gone.url, eventTypes: ['NoteAdded'], secret });
    const envelope = await publish(noteAdded());
    const [{ delivery_id: deliveryId }] = (await queued(envelope.eventId)) as [DeliveryRow];
    expect(await dispatcher().runOnce()).toBe(1);
    const [failed] = await publishedOf(deliveryId, 'WebhookDeliveryFailed');
    expect(failed!.data).toMatchObject({ subscriptionId, attempt: 1, reason: 'ECONNREFUSED', dead: false });
    expect(failed!.data).not.toHaveProperty('statusCode');
  });

  it('stops a subscription whose receiver answers 410 Gone: the delivery is dead at once and nothing more is queued', async () => {
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const first = await publish(noteAdded());
    const [{ delivery_id: deliveryId }] = (await queued(first.eventId)) as [DeliveryRow];
    receiver.answer(410);
    expect(await dispatcher().runOnce()).toBe(1);

    expect(await deliveriesOf(first.eventId)).toMatchObject([{ status: 'dead', attempts: 1 }]);
    const [dead] = await publishedOf(deliveryId, 'WebhookDeliveryFailed');
    expect(dead!.data).toMatchObject({ attempt: 1, statusCode: 410, dead: true });
    const subscription = await api().get(`/webhooks/subscriptions/${subscriptionId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(subscription.body).toMatchObject({ active: false, deactivatedBy: 'system:webhooks' });
    const second = await publish(noteAdded());
    await fannedOut(second.eventId);
    expect(await deliveriesOf(second.eventId)).toEqual([]);
  });

  it('queues one delivery per event and subscription however often Kafka or a second consumer delivers the event', async () => {
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = noteAdded();
    await publish(envelope);
    await publish(envelope);
    await fannedOut(envelope.eventId);
    // Past the inbox: the fan-out itself applied again, as a consumer with another inbox name would.
    const handler = webhookFanoutHandlers({ clock: service.app.get<Clock>(CLOCK), store: service.app.get(EventStore) })['NoteAdded']!;
    const dataSource = service.app.get(DataSource);
    await dataSource.transaction((manager) => handler.handle(envelope as EventEnvelope<object>, manager));

    const deliveryId = deliveryIdOf(subscriptionId, envelope.eventId);
    expect((await deliveriesOf(envelope.eventId)).map((row) => row.delivery_id)).toEqual([deliveryId]);
    const stream = await service.db.query('SELECT type FROM events WHERE stream_id = $1', [deliveryId]);
    expect(stream.rows).toEqual([{ type: 'WebhookDeliveryQueued' }]);
    await dispatcher().runOnce();
    await dispatcher().runOnce();
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers only events inside the subscriber’s scope, and nothing to a deactivated subscription', async () => {
    const sindh = await subscribe(
      { targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret },
      service.token({ subject: 'sindh-ia', roles: ['INTEGRATION'], scope: { province: 'sindh' } }),
    );
    await subscribe(
      { targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret },
      service.token({ subject: 'punjab-ia', roles: ['INTEGRATION'], scope: { province: 'punjab' } }),
    );
    const closed = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    await api().delete(`/webhooks/subscriptions/${closed.subscriptionId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    await subscribe({ targetUrl: receiver.url, eventTypes: ['CaseClosed'], secret });

    const envelope = await publish(noteAdded());
    await fannedOut(envelope.eventId);
    const subscriptionsServed = (
      await service.db.query<{ subscription_id: string }>('SELECT subscription_id FROM webhook_deliveries WHERE event_id = $1', [envelope.eventId])
    ).rows;
    // Not Punjab's, not the deactivated one, not the one for another type.
    expect(subscriptionsServed.map((row) => row.subscription_id)).toEqual([sindh.subscriptionId]);
  });

  it.each([
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', 'http://10.0.0.5:5432/'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
  ])('refuses a subscription to %s with 422 naming targetUrl (loopback is opened for this test only)', async (_what, targetUrl) => {
    const refused = await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${integration()}`)
      .send({ targetUrl, eventTypes: ['NoteAdded'] })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'webhook.target-forbidden', errors: [{ field: 'targetUrl' }] });
    expect(refused.body.detail).toContain('an address webhooks may not reach');
  });

  it('refuses invalid subscriptions field by field as problem+json, and keeps secrets to itself', async () => {
    const refused = await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${integration()}`)
      .send({ targetUrl: 'ftp://example.org/hook', eventTypes: ['NoteAdded', 'WebhookDelivered', 'NoSuchEvent'], secret: 'short', colour: 'red' })
      .expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('request.validation-failed');
    expect([...new Set((refused.body as { errors: { field: string }[] }).errors.map((error) => error.field))].sort()).toEqual([
      'colour',
      'eventTypes',
      'secret',
      'targetUrl',
    ]);
    const empty = await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${integration()}`)
      .send({ targetUrl: receiver.url, eventTypes: [] })
      .expect(400);
    expect(empty.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'eventTypes' })]));
    const officer = service.token({ subject: 'KHI-1', roles: ['OFFICER'] });
    await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${officer}`)
      .send({ targetUrl: receiver.url, eventTypes: ['NoteAdded'] })
      .expect(403);

    const created = await subscribe({
      targetUrl: receiver.url,
      eventTypes: ['NoteAdded', 'ApprovalGranted', 'NotificationSent'],
      description: 'IA dashboard',
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await api().get(`/webhooks/subscriptions/${created.subscriptionId}`).set('Authorization', `Bearer ${integration()}`).expect(200);
    expect(shown.body).toMatchObject({ subscriptionId: created.subscriptionId, active: true, createdBy: 'ia-dashboard', scope: {} });
    expect(shown.body).not.toHaveProperty('secret');
    const listed = await api().get('/webhooks/subscriptions').set('Authorization', `Bearer ${integration()}`).expect(200);
    expect((listed.body as object[]).every((subscription) => !('secret' in subscription))).toBe(true);
    const other = service.token({ subject: 'someone-else', roles: ['INTEGRATION'] });
    await api().get(`/webhooks/subscriptions/${created.subscriptionId}`).set('Authorization', `Bearer ${other}`).expect(404);
  });

  it('keeps subscription secrets sealed at rest, and seals at start one stored before sealing or under a key rotated out', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const sealedRow = await subscribe({ targetUrl: receiver.url, eventTypes: ['AppealDecided'], secret });
    const storedOf = async (id: string) =>
      (await service.db.query<{ secret: string }>('SELECT secret FROM webhook_subscriptions WHERE subscription_id = $1', [id])).rows[0]!.secret;
    const stored = await storedOf(sealedRow.subscriptionId);
    expect(stored.startsWith('v1:')).toBe(true);
    expect(stored).not.toContain(secret.slice('whsec_'.length, 30));
    expect(service.app.get(SecretBox).open(stored, sealedRow.subscriptionId)).toBe(secret);

    // A row as an earlier version stored it, in clear: the start-up pass seals it, and only it.
    const legacy = await subscribe({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] });
    await service.db.query('UPDATE webhook_subscriptions SET secret = $2 WHERE subscription_id = $1', [legacy.subscriptionId, secret]);
    await service.app.get(WebhookSubscriptions).onApplicationBootstrap();
    const resealed = await storedOf(legacy.subscriptionId);
    expect(resealed.startsWith('v1:')).toBe(true);
    expect(service.app.get(SecretBox).open(resealed, legacy.subscriptionId)).toBe(secret);
    expect(await storedOf(sealedRow.subscriptionId)).toBe(stored);

    // Rotation: a secret sealed under the key being rotated out is sealed again under the current one.
    const rotated = await subscribe({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] });
    const underOldKey = new SecretBox(ROTATED_OUT_KEY).seal(secret, rotated.subscriptionId);
    await service.db.query('UPDATE webhook_subscriptions SET secret = $2 WHERE subscription_id = $1', [rotated.subscriptionId, underOldKey]);
    await service.app.get(WebhookSubscriptions).onApplicationBootstrap();
    const underCurrentKey = await storedOf(rotated.subscriptionId);
    expect(underCurrentKey).not.toBe(underOldKey);
    expect(new SecretBox(service.app.get(NotificationServiceConfig).webhookSecretsKey()).open(underCurrentKey, rotated.subscriptionId)).toBe(secret);
    expect(() => new SecretBox(ROTATED_OUT_KEY).open(underCurrentKey, rotated.subscriptionId)).toThrow();
  });

  it('holds each integration to WEBHOOK_MAX_SUBSCRIPTIONS active subscriptions (409 beyond), counting only active ones and only its own', async () => {
    const crm = service.token({ subject: 'quota-crm', roles: ['INTEGRATION'] });
    const max = service.app.get(NotificationServiceConfig).WEBHOOK_MAX_SUBSCRIPTIONS;
    // Concurrent creations count each other: never more than the quota, whatever the interleaving.
    const attempts = await Promise.all(
      Array.from({ length: max + 3 }, () =>
        api()
          .post('/webhooks/subscriptions')
          .set('Authorization', `Bearer ${crm}`)
          .send({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] }),
      ),
    );
    expect(attempts.filter((response) => response.status === 201)).toHaveLength(max);
    const refused = attempts.filter((response) => response.status !== 201);
    expect(refused.map((response) => [response.status, (response.body as { code: string }).code])).toEqual(
      Array.from({ length: 3 }, () => [409, 'webhook.quota-exceeded']),
    );
    expect(refused[0]!.headers['content-type']).toContain('application/problem+json');
    await subscribe({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] }); // another integration is not affected

    const ids = attempts.filter((response) => response.status === 201).map((response) => (response.body as Subscription).subscriptionId);
    await api().delete(`/webhooks/subscriptions/${ids[0]!}`).set('Authorization', `Bearer ${crm}`).expect(200);
    await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${crm}`)
      .send({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] })
      .expect(201);
    await api()
      .post('/webhooks/subscriptions')
      .set('Authorization', `Bearer ${crm}`)
      .send({ targetUrl: receiver.url, eventTypes: ['AppealDecided'] })
      .expect(409);
  });

  it('leaves a delivery claimed by a replica that died mid-send alone until its lease runs out, then sends it (same delivery id)', async () => {
    await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelope = await publish(noteAdded());
    const [{ delivery_id: deliveryId }] = (await queued(envelope.eventId)) as [DeliveryRow];
    const claimedAt = new Date();
    const leaseUntil = new Date(claimedAt.getTime() + 2_000 + 30_000);
    // What a replica's claim leaves behind when it stops before recording the attempt.
    await service.db.query(`UPDATE webhook_deliveries SET lease_token = $2, lease_until = $3 WHERE delivery_id = $1`, [
      deliveryId,
      randomUUID(),
      leaseUntil,
    ]);

    at(new Date(leaseUntil.getTime() - 1));
    expect(await dispatcher().runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(0);

    at(leaseUntil);
    expect(await dispatcher().runOnce()).toBe(1);
    expect(receiver.received.map((request) => request.headers[WebhookHeaders.id])).toEqual([deliveryId]);
    expect(await deliveriesOf(envelope.eventId)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });

  it('sends each delivery once when two replicas dispatch at the same time', async () => {
    const { subscriptionId } = await subscribe({ targetUrl: receiver.url, eventTypes: ['NoteAdded'], secret });
    const envelopes = await Promise.all(Array.from({ length: 12 }, () => publish(noteAdded())));
    for (const envelope of envelopes) await queued(envelope.eventId);
    const replica = await createServiceApp(AppModule, { name: SERVICE_NAME });
    try {
      const attempts = await Promise.all([dispatcher().runOnce(), replica.get(WebhookDispatcher).runOnce()]);
      expect(attempts[0] + attempts[1]).toBe(envelopes.length);
    } finally {
      await replica.close();
    }
    const ids = receiver.received.map((request) => request.headers[WebhookHeaders.id]);
    expect(ids).toHaveLength(envelopes.length);
    expect(new Set(ids)).toEqual(new Set(envelopes.map((envelope) => deliveryIdOf(subscriptionId, envelope.eventId))));
  });
});
