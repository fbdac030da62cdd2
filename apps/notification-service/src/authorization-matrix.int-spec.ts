import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import request from 'supertest';
import { Role } from '@conduct/auth';
import { Topics } from '@conduct/messaging';
import {
  describeApiFuzz,
  describeAuthorizationMatrix,
  MatrixContext,
  MatrixRow,
  notFoundFor,
  okFor,
  RoleOutcomes,
  startTestService,
  TestService,
  SERVICE_START_TIMEOUT_MS,
} from '@conduct/service-testing';
import { eventually, startWebhookReceiver, testKafka, WebhookReceiver } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { caseEvent, newCase, publish, takedownNoticeIssued, violationReported } from './testing/notice-fixtures';

jest.setTimeout(240_000);

/*
 * Who may do what on notification-service, written out by hand: every operation × every role ×
 * three contexts. Notices live in the hierarchy (in scope, outside it, about the caller); webhook
 * subscriptions and deliveries belong to an integration (someone else's in the caller's province,
 * someone else's seen from another province, the caller's own); the recipient directory is the
 * ADMINs'. Each attempt that changes something gets fresh state.
 */
let service: TestService;
let producer: Producer;
let receiver: WebhookReceiver;
const noticeCase = newCase('ps-clifton');
let notificationId: string;

beforeAll(async () => {
  process.env['DISPATCH_INTERVAL_MS'] = '100';
  service = await startTestService(AppModule, `${SERVICE_NAME}-matrix`);
  receiver = await startWebhookReceiver();
  producer = testKafka('notification-matrix').producer();
  await producer.connect();
  // A takedown notice in Karachi South: the audit log's entry (unresolved: nobody is in the directory).
  const now = new Date().toISOString();
  await publish(
    producer,
    Topics.cases,
    violationReported(noticeCase),
    takedownNoticeIssued(noticeCase, now, new Date(Date.now() + 7 * 86_400_000).toISOString()),
  );
  notificationId = await eventually(
    async () =>
      (
        await service.db.query<{ notification_id: string }>('SELECT notification_id FROM notifications_log WHERE case_id = $1 LIMIT 1', [
          noticeCase.caseId,
        ])
      ).rows[0]?.notification_id,
    { timeoutMs: 120_000, what: 'a notice of the case in the audit log' },
  );
}, SERVICE_START_TIMEOUT_MS);
afterAll(async () => {
  delete process.env['DISPATCH_INTERVAL_MS'];
  await receiver?.close();
  await producer?.disconnect();
  await service?.close();
});

const SCOPES: Record<MatrixContext, Record<string, string>> = {
  'in-scope': { province: 'sindh' },
  'out-of-scope': { province: 'punjab' },
  'own-case': { province: 'sindh' },
};
const subjectOf = (role: Role, context: MatrixContext) => `${role.toLowerCase()}-${context}`;
const token = (role: Role, context: MatrixContext) =>
  service.token({
    subject: subjectOf(role, context),
    roles: [role],
    scope: SCOPES[context],
    ...(context === 'own-case' ? { serviceNumber: noticeCase.serviceNumber } : {}),
  });

const api = () => request(service.app.getHttpServer());
const admin = () => service.token({ subject: 'admin-setup', roles: ['ADMIN'] });

/** A subscription to NoteAdded: the caller's own in the own-case context, else another integration's (one each: quotas). */
async function subscription(context: MatrixContext, role: Role): Promise<string> {
  const owner = context === 'own-case' ? subjectOf(role, context) : `integration-${randomBytes(4).toString('hex')}`;
  const ownerToken = service.token({ subject: owner, roles: ['INTEGRATION'], scope: { province: 'sindh' } });
  const created = await api()
    .post('/webhooks/subscriptions')
    .set('Authorization', `Bearer ${ownerToken}`)
    .send({ targetUrl: receiver.url, eventTypes: ['NoteAdded'] })
    .expect(201);
  return (created.body as { subscriptionId: string }).subscriptionId;
}

/**
 * A delivered delivery of such a subscription (a redelivery is for one no longer pending). One per
 * context and role, reused: reading it changes nothing, and a redelivered one is delivered again
 * within a dispatch interval, which this waits for.
 */
const deliveries = new Map<string, Promise<string>>();
async function delivery(context: MatrixContext, role: Role): Promise<string> {
  const key = `${context}:${role}`;
  if (!deliveries.has(key)) {
    deliveries.set(
      key,
      (async () => {
        const subscriptionId = await subscription(context, role);
        const note = caseEvent(newCase('ps-clifton'), 'NoteAdded', {
          noteId: `note-${randomBytes(3).toString('hex')}`,
          text: 'Spoke to the SHO',
          addedBy: 'ia-rashid',
          addedAt: new Date().toISOString(),
        });
        await publish(producer, Topics.cases, note);
        return eventually(
          async () =>
            (
              await service.db.query<{ delivery_id: string }>(`SELECT delivery_id FROM webhook_deliveries WHERE subscription_id = $1`, [
                subscriptionId,
              ])
            ).rows[0]?.delivery_id,
          {
            timeoutMs: 60_000,
            what: `a webhook delivery of ${subscriptionId}`,
          },
        );
      })(),
    );
  }
  const deliveryId = await deliveries.get(key)!;
  await eventually(
    async () =>
      (await service.db.query(`SELECT 1 FROM webhook_deliveries WHERE delivery_id = $1 AND status = 'delivered'`, [deliveryId])).rowCount === 1,
    {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: `delivery ${deliveryId} delivered`,
    },
  );
  return deliveryId;
}

async function recipient(): Promise<string> {
  const created = await api().post('/recipients').set('Authorization', `Bearer ${admin()}`).send(entry()).expect(201);
  return (created.body as { id: string }).id;
}
const entry = () => ({
  unitId: `ps-matrix-${randomBytes(4).toString('hex')}`,
  role: 'SSP',
  name: 'SSP Matrix',
  email: 'ssp.matrix@police.test',
  language: 'en',
});

const same = (outcomes: RoleOutcomes) => ({ 'in-scope': outcomes, 'out-of-scope': outcomes, 'own-case': outcomes });
const INTEGRATORS: Role[] = ['INTEGRATION', 'ADMIN'];
const LOG_READERS: Role[] = ['ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST'];
/** Another integration's record does not exist for an integration; ADMINs see every one; the owner sees theirs. */
const owned = {
  'in-scope': { ...okFor(['ADMIN'], 403), INTEGRATION: 404 },
  'out-of-scope': { ...okFor(['ADMIN'], 403), INTEGRATION: 404 },
  'own-case': okFor(INTEGRATORS, 403),
} as const;
const adminOnly = same(okFor(['ADMIN'], 403));

const rows: MatrixRow[] = [
  { operation: 'GET /notifications', prepare: () => Promise.resolve({ path: '/notifications' }), expect: same(okFor(LOG_READERS, 403)) },
  {
    operation: 'GET /notifications/{id}',
    prepare: () => Promise.resolve({ path: `/notifications/${notificationId}` }),
    expect: { 'in-scope': okFor(LOG_READERS, 403), 'out-of-scope': notFoundFor(LOG_READERS), 'own-case': okFor(LOG_READERS, 403) },
  },
  {
    operation: 'POST /webhooks/subscriptions',
    prepare: () => Promise.resolve({ path: '/webhooks/subscriptions', body: { targetUrl: receiver.url, eventTypes: ['CaseClosed'] } }),
    expect: same(okFor(INTEGRATORS, 403)),
  },
  {
    operation: 'GET /webhooks/subscriptions',
    prepare: () => Promise.resolve({ path: '/webhooks/subscriptions' }),
    expect: same(okFor(INTEGRATORS, 403)),
  },
  {
    operation: 'GET /webhooks/subscriptions/{subscriptionId}',
    prepare: async (context, role) => ({ path: `/webhooks/subscriptions/${await subscription(context, role)}` }),
    expect: owned,
  },
  {
    operation: 'DELETE /webhooks/subscriptions/{subscriptionId}',
    prepare: async (context, role) => ({ path: `/webhooks/subscriptions/${await subscription(context, role)}` }),
    expect: owned,
  },
  {
    operation: 'PUT /webhooks/subscriptions/{subscriptionId}/personal-data',
    prepare: async (context, role) => ({
      path: `/webhooks/subscriptions/${await subscription(context, role)}/personal-data`,
      body: { reason: 'The IA case system writes to officers by name' },
    }),
    expect: adminOnly,
  },
  {
    operation: 'DELETE /webhooks/subscriptions/{subscriptionId}/personal-data',
    prepare: async (context, role) => ({ path: `/webhooks/subscriptions/${await subscription(context, role)}/personal-data` }),
    expect: adminOnly,
  },
  { operation: 'GET /webhooks/deliveries', prepare: () => Promise.resolve({ path: '/webhooks/deliveries' }), expect: same(okFor(INTEGRATORS, 403)) },
  {
    operation: 'GET /webhooks/deliveries/{deliveryId}',
    prepare: async (context, role) => ({ path: `/webhooks/deliveries/${await delivery(context, role)}` }),
    expect: owned,
  },
  {
    operation: 'POST /webhooks/deliveries/{deliveryId}/redeliver',
    prepare: async (context, role) => ({ path: `/webhooks/deliveries/${await delivery(context, role)}/redeliver` }),
    expect: owned,
  },
  { operation: 'POST /recipients', prepare: () => Promise.resolve({ path: '/recipients', body: entry() }), expect: adminOnly },
  { operation: 'GET /recipients', prepare: () => Promise.resolve({ path: '/recipients' }), expect: adminOnly },
  { operation: 'GET /recipients/{id}', prepare: async () => ({ path: `/recipients/${await recipient()}` }), expect: adminOnly },
  { operation: 'GET /recipients/{id}/history', prepare: async () => ({ path: `/recipients/${await recipient()}/history` }), expect: adminOnly },
  { operation: 'PUT /recipients/{id}', prepare: async () => ({ path: `/recipients/${await recipient()}`, body: entry() }), expect: adminOnly },
  {
    operation: 'PATCH /recipients/{id}',
    prepare: async () => ({ path: `/recipients/${await recipient()}`, body: { name: 'SSP Renamed' } }),
    expect: adminOnly,
  },
  { operation: 'DELETE /recipients/{id}', prepare: async () => ({ path: `/recipients/${await recipient()}` }), expect: adminOnly },
];

describe('notification-service authorization matrix', () => {
  describeAuthorizationMatrix({ service: () => service, token, rows });
});

/** Events recorded on behalf of people: notices and deliveries the service records itself (`system:` actors) left out. */
const eventCount = async () =>
  Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE metadata->'actor'->>'id' NOT LIKE 'system:%'`)).rows[0]!.n);

describe('notification-service API fuzz', () => {
  describeApiFuzz({ service: () => service, token, rows, eventCount });
});
