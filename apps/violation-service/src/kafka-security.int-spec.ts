import { randomBytes } from 'node:crypto';
import { AclOperationTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { aclsFor, ANCHORS_TOPIC, grantServiceAcls, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, OwnKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { reportCase } from './testing/case-fixtures';

jest.setTimeout(180_000);

/*
 * Kafka with authentication and authorization, as a force would run it: a broker of this test's own
 * with a SASL/SCRAM listener and the StandardAuthorizer, each service logging in as its own user,
 * allowed by ACLs (npm run kafka:acls) to write its own topic only.
 */
const password = (user: string) => `${user}-${randomBytes(6).toString('hex')}`;
const users = {
  admin: password('admin'),
  'approval-service': password('a'),
  'violation-service': password('v'),
  'notification-service': password('n'),
  'reporting-service': password('r'),
};
const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];

let kafka: OwnKafka;
const clientAs = (username: string, secret = users[username as keyof typeof users]) =>
  new Kafka({
    clientId: `sasl-${username}`,
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
    sasl: { mechanism: 'scram-sha-512', username, password: secret },
  });

async function produce(username: string, topic: string, secret?: string): Promise<string> {
  const producer = clientAs(username, secret).producer();
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'probe', value: '{}' }] });
    return 'written';
  } catch (error) {
    // kafkajs wraps a refusal it gave up retrying: the broker's error code is then the cause's.
    const { type, cause, name } = error as { type?: string; cause?: { type?: string }; name: string };
    return type ?? cause?.type ?? name;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

beforeAll(async () => {
  kafka = await OwnKafka.start({ scramUsers: users });
  const admin = clientAs('admin').admin();
  await admin.connect();
  await grantServiceAcls(admin, {
    'approval-service': 'approval-service',
    'violation-service': 'violation-service',
    'notification-service': 'notification-service',
    'reporting-service': 'reporting-service',
  });
  await admin.disconnect();
}, 120_000);

afterAll(async () => {
  for (const variable of SASL_VARIABLES) delete process.env[variable];
  await kafka?.destroy();
});

it('lets each service write its own topic and the dead letters of what it reads, and nothing else', async () => {
  expect(await produce('violation-service', Topics.cases)).toBe('written');
  expect(await produce('reporting-service', Topics.cases)).toBe('TOPIC_AUTHORIZATION_FAILED');
  expect(await produce('reporting-service', `${Topics.cases}.dlq`)).toBe('written');
  expect(await produce('approval-service', Topics.notifications)).toBe('TOPIC_AUTHORIZATION_FAILED');
  expect(await produce('notification-service', Topics.notifications)).toBe('written');
  expect(await produce('violation-service', Topics.cases, 'not-the-password')).toBe('KafkaJSSASLAuthenticationError');
});

it('keeps groups apart by prefix when the services share a cluster with others', () => {
  const groupAcls = aclsFor('reporting-service', 'svc-reporting', 'conduct').filter((acl) => acl.resourceType === AclResourceTypes.GROUP);
  expect(groupAcls).toEqual([
    expect.objectContaining({ principal: 'User:svc-reporting', resourceName: 'conduct.', resourcePatternType: ResourcePatternTypes.PREFIXED }),
  ]);
});

it('lets reporting-service alone read the anchors topic, whose heads back the dossiers', () => {
  const readsAnchors = (service: Parameters<typeof aclsFor>[0]) =>
    aclsFor(service, 'svc', 'conduct').some(
      (acl) => acl.resourceName === ANCHORS_TOPIC && acl.operation === AclOperationTypes.READ && acl.resourceType === AclResourceTypes.TOPIC,
    );
  expect(
    ['approval-service', 'violation-service', 'notification-service', 'reporting-service'].map((service) =>
      readsAnchors(service as 'reporting-service'),
    ),
  ).toEqual([false, false, false, true]);
});

describe('violation-service on the secured cluster', () => {
  let service: TestService;

  beforeAll(async () => {
    Object.assign(process.env, {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'violation-service',
      KAFKA_SASL_PASSWORD: users['violation-service'],
    });
    service = await startTestService(AppModule, `${SERVICE_NAME}-sasl`, { kafkaBrokers: kafka.brokers, waitForConsumers: false });
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await service?.close();
  });

  it('publishes a reported case with its own credentials, and reporting-service reads it with its own', async () => {
    const caseId = await reportCase(service);
    const seen: string[] = [];
    const consumer = clientAs('reporting-service').consumer({ groupId: `sasl-reader-${randomBytes(3).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.cases, fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void seen.push(message.key?.toString() ?? '')) });
    try {
      await eventually(() => seen.includes(caseId), { timeoutMs: 60_000, what: `case ${caseId} on the secured ${Topics.cases}` });
    } finally {
      await consumer.disconnect();
    }
  });
});
