import { Producer } from 'kafkajs';
import request from 'supertest';
import { Role } from '@conduct/auth';
import { Topics } from '@conduct/messaging';
import {
  describeApiFuzz,
  describeAuthorizationMatrix,
  every,
  MatrixContext,
  MatrixRow,
  notFoundFor,
  okFor,
  RoleOutcomes,
  startTestService,
  TestService,
  SERVICE_START_TIMEOUT_MS,
} from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { caseTimelineScenario } from './testing/case-timeline-events';
import { publish } from './testing/published-events';

jest.setTimeout(240_000);

/*
 * Who may read what on reporting-service, written out by hand: every operation × every role × a
 * case in the caller's scope, outside it, and about the caller. Reads change nothing, so one case
 * (published on the real topics and projected) serves every attempt.
 */
const scenario = caseTimelineScenario();
const OFFICER_CONCERNED = 'KHI-40172';
let service: TestService;
let producer: Producer;

beforeAll(async () => {
  service = await startTestService(AppModule, `${SERVICE_NAME}-matrix`);
  producer = testKafka('reporting-matrix').producer();
  await producer.connect();
  await publish(producer, Topics.cases, scenario.caseEnvelopes);
  await publish(producer, Topics.notifications, scenario.noticeEnvelopes);
  const admin = service.token({ subject: 'admin-setup', roles: ['ADMIN'] });
  await eventually(
    async () =>
      (await request(service.app.getHttpServer()).get(`/cases/${scenario.caseId}/timeline`).set('Authorization', `Bearer ${admin}`)).status === 200,
    {
      timeoutMs: 180_000,
      what: 'the case in the timeline read model',
    },
  );
}, SERVICE_START_TIMEOUT_MS);
afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
});

const SCOPES: Record<MatrixContext, Record<string, string>> = {
  'in-scope': { province: 'sindh' },
  'out-of-scope': { province: 'punjab' },
  'own-case': { province: 'sindh' },
};
const token = (role: Role, context: MatrixContext) =>
  service.token({
    subject: `${role.toLowerCase()}-${context}`,
    roles: [role],
    scope: SCOPES[context],
    ...(context === 'own-case' ? { serviceNumber: OFFICER_CONCERNED } : {}),
  });
/** Read models hold the whole country: their administration is for a national caller. */
const nationalInScope = (role: Role, context: MatrixContext) =>
  context === 'in-scope' ? service.token({ subject: `${role.toLowerCase()}-national`, roles: [role], scope: {} }) : token(role, context);

const same = (outcomes: RoleOutcomes) => ({ 'in-scope': outcomes, 'out-of-scope': outcomes, 'own-case': outcomes });
const report = (path: string): MatrixRow => ({
  operation: `GET ${path}`,
  prepare: () => Promise.resolve({ path }),
  expect: same(okFor(['HQ_ANALYST', 'ADMIN'], 403)),
});
const CASE_READERS: Role[] = ['HQ_ANALYST', 'ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'];
const DOSSIER_READERS: Role[] = ['ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'];

const rows: MatrixRow[] = [
  // Reports are filtered to the caller's scope: outside it, the same roles get figures of nothing.
  report('/reports/cases'),
  report('/reports/takedowns'),
  report('/reports/approvals/summary'),
  report('/reports/sanctions'),
  report('/reports/officers'),
  report('/reports/trend'),
  report('/reports/approvals'),
  {
    // Tried within the caller's scope, like the reports: outside it, the same roles flag no one.
    operation: 'POST /early-intervention/what-if',
    prepare: () => Promise.resolve({ path: '/early-intervention/what-if', body: { threshold: { substantiatedFindings: 1, withinDays: 365 } } }),
    expect: same(okFor(['HQ_ANALYST', 'ADMIN'], 403)),
  },
  { operation: 'GET /cases', prepare: () => Promise.resolve({ path: '/cases' }), expect: same(okFor(CASE_READERS, 403)) },
  {
    // Filtered to the caller's scope change by change (live-updates.int-spec.ts): anyone who reads cases may listen.
    operation: 'GET /live',
    prepare: () => Promise.resolve({ path: '/live', stream: true }),
    notFuzzed: 'an event stream stays open: it takes no input, and its refusals are the matrix’s',
    expect: same(okFor(CASE_READERS, 403)),
  },
  {
    operation: 'GET /cases/{caseId}/timeline',
    prepare: () => Promise.resolve({ path: `/cases/${scenario.caseId}/timeline` }),
    // The officer it is about reads it in their reduced view if their role reads timelines at all.
    expect: { 'in-scope': okFor(CASE_READERS, 403), 'out-of-scope': notFoundFor(CASE_READERS), 'own-case': okFor(CASE_READERS, 403) },
  },
  // The record unredacted: never to the officer it is about, whatever their role.
  ...['dossier', 'dossier.pdf'].map((file): MatrixRow => ({
    operation: `GET /cases/{caseId}/${file}`,
    prepare: () => Promise.resolve({ path: `/cases/${scenario.caseId}/${file}` }),
    expect: { 'in-scope': okFor(DOSSIER_READERS, 403), 'out-of-scope': notFoundFor(DOSSIER_READERS), 'own-case': every(403) },
  })),
  {
    operation: 'GET /access-log',
    prepare: () => Promise.resolve({ path: `/access-log?caseId=${scenario.caseId}` }),
    expect: {
      'in-scope': okFor(['IA_INVESTIGATOR', 'ADMIN'], 403),
      'out-of-scope': notFoundFor(['IA_INVESTIGATOR', 'ADMIN']),
      'own-case': every(403),
    },
  },
  {
    operation: 'GET /admin/read-models',
    prepare: () => Promise.resolve({ path: '/admin/read-models' }),
    token: nationalInScope,
    expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': every(403), 'own-case': every(403) },
  },
  {
    operation: 'POST /admin/read-models/rebuild',
    prepare: () => Promise.resolve({ path: '/admin/read-models/rebuild' }),
    token: nationalInScope,
    notFuzzed: "each accepted request starts a full rebuild of every read model; it takes no body and its refusals are the matrix's",
    expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': every(403), 'own-case': every(403) },
  },
];

describe('reporting-service authorization matrix', () => {
  describeAuthorizationMatrix({ service: () => service, token, rows });
});

// reporting-service records no events: it holds read models only.
describe('reporting-service API fuzz', () => {
  describeApiFuzz({ service: () => service, token, rows });
});
