import request from 'supertest';
import { Role } from '@conduct/auth';
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
import { AppModule, SERVICE_NAME } from './app.module';
import { approvalRequest, mediaSha256, registerAccount } from './testing/approval-fixtures';

jest.setTimeout(300_000);

/*
 * Who may do what on approval-service, written out by hand: every operation × every role × a
 * record in the caller's scope, outside it, and the caller's own (a request they made, an account
 * they suspended). Each attempt gets fresh state, prepared by other people.
 */
let service: TestService;
let accountId: string;
beforeAll(async () => {
  service = await startTestService(AppModule, `${SERVICE_NAME}-matrix`);
  accountId = await registerAccount(service);
}, SERVICE_START_TIMEOUT_MS);
afterAll(async () => {
  await service?.close();
});

const SOUTH = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
const SCOPES: Record<MatrixContext, Record<string, string>> = { 'in-scope': SOUTH, 'out-of-scope': { province: 'punjab' }, 'own-case': SOUTH };
const subjectOf = (role: Role, context: MatrixContext) => `${role.toLowerCase()}-${context}`;
const token = (role: Role, context: MatrixContext) => service.token({ subject: subjectOf(role, context), roles: [role], scope: SCOPES[context] });

// Who prepares: an officer requests and a senior superintendent decides, unless the record is the caller's own.
const as = (subject: string, role: Role) => service.token({ subject, roles: [role], scope: SOUTH });
const requesterFor = (context: MatrixContext, role: Role) =>
  context === 'own-case' ? as(subjectOf(role, context), 'OFFICER') : as('officer-setup', 'OFFICER');
const ssp = () => as('ssp-setup', 'APPROVER');
const post = async (path: string, who: string, body: object, status = 201) =>
  (await request(service.app.getHttpServer()).post(path).set('Authorization', `Bearer ${who}`).send(body).expect(status)).body as Record<
    string,
    string
  >;

const requested = async (context: MatrixContext, role: Role) =>
  (await post('/approvals', requesterFor(context, role), approvalRequest(accountId))).approvalId!;
const granted = async (context: MatrixContext, role: Role) => {
  const approvalId = await requested(context, role);
  await post(`/approvals/${approvalId}/grant`, ssp(), { validUntil: '2030-02-01T00:00:00Z' }, 200);
  return approvalId;
};
const suspended = async (context: MatrixContext, role: Role) => {
  const id = await registerAccount(service);
  const suspender = context === 'own-case' ? as(subjectOf(role, context), 'APPROVER') : ssp();
  await post(`/official-accounts/${id}/suspend`, suspender, { reason: 'Posted a political view' }, 200);
  return id;
};
const newAccount = () => ({
  platform: 'facebook',
  handle: `@SSPSouth${Math.random().toString(36).slice(2, 8)}`,
  kind: 'institutional',
  jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
  mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
  operatedBy: 'SSP',
});

let units = 0;
const newUnitId = () => `ps-matrix-${process.pid}-${Date.now()}-${++units}`;
/** A unit in Karachi South, registered by a national ADMIN. */
const southUnit = async () =>
  (
    await post('/units', service.token({ subject: 'admin-setup', roles: ['ADMIN'], scope: {} }), {
      unitId: newUnitId(),
      name: 'Police post',
      ...SOUTH,
    })
  ).unitId!;

const READERS: Role[] = ['OFFICER', 'MEDIA_TEAM', 'APPROVER', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST', 'ADMIN'];
const same = (outcomes: RoleOutcomes) => ({ 'in-scope': outcomes, 'out-of-scope': outcomes, 'own-case': outcomes });
/** A decision on someone's request: the deciders in scope; outside it the request does not exist; never on your own. */
const decision = (operation: string, deciders: Role[], prepare: MatrixRow['prepare']): MatrixRow => ({
  operation,
  prepare,
  expect: { 'in-scope': okFor(deciders, 403), 'out-of-scope': notFoundFor(deciders), 'own-case': every(403) },
});

const rows: MatrixRow[] = [
  {
    operation: 'POST /approvals',
    prepare: () => Promise.resolve({ path: '/approvals', body: approvalRequest(accountId) }),
    // Outside your scope you named the jurisdiction yourself: 403, nothing to hide.
    expect: { 'in-scope': okFor(['OFFICER', 'MEDIA_TEAM'], 403), 'out-of-scope': every(403), 'own-case': okFor(['OFFICER', 'MEDIA_TEAM'], 403) },
  },
  { operation: 'GET /approvals', prepare: () => Promise.resolve({ path: '/approvals' }), expect: same(okFor(READERS, 403)) },
  {
    operation: 'GET /approvals/{approvalId}',
    prepare: async (context, role) => ({ path: `/approvals/${await requested(context, role)}` }),
    // An officer reads their own requests only; integrations get events, not this API.
    expect: {
      'in-scope': {
        ...okFor(
          READERS.filter((role) => role !== 'OFFICER'),
          404,
        ),
        INTEGRATION: 403,
      },
      'out-of-scope': notFoundFor(READERS),
      'own-case': { ...okFor(READERS, 404), INTEGRATION: 403 },
    },
  },
  decision('POST /approvals/{approvalId}/grant', ['APPROVER'], async (context, role) => ({
    path: `/approvals/${await requested(context, role)}/grant`,
    body: { validUntil: '2030-02-01T00:00:00Z' },
  })),
  decision('POST /approvals/{approvalId}/reject', ['APPROVER'], async (context, role) => ({
    path: `/approvals/${await requested(context, role)}/reject`,
    body: { reasons: ['Shows a minor'] },
  })),
  decision('POST /approvals/{approvalId}/revoke', ['APPROVER'], async (context, role) => ({
    path: `/approvals/${await granted(context, role)}/revoke`,
    body: { reason: 'Sub judice' },
  })),
  {
    operation: 'POST /approvals/{approvalId}/withdraw',
    prepare: async (context, role) => ({ path: `/approvals/${await requested(context, role)}/withdraw`, body: { reason: 'Cancelled' } }),
    // Only the requester withdraws; to an officer another's request does not exist.
    expect: {
      'in-scope': { ...every(403), OFFICER: 404 },
      'out-of-scope': notFoundFor(['OFFICER', 'MEDIA_TEAM']),
      'own-case': okFor(['OFFICER', 'MEDIA_TEAM'], 403),
    },
  },
  {
    operation: 'POST /approvals/{approvalId}/publications',
    prepare: async (context, role) => ({
      path: `/approvals/${await granted(context, role)}/publications`,
      body: { url: 'https://facebook.com/sspsouth/videos/1', officialAccountId: accountId, mediaSha256, publishedAt: '2030-01-01T09:00:00Z' },
    }),
    // A refused publication (another account, other media, outside the window) is itself recorded (SND-5).
    recordsRefusals: { status: 422, why: 'every publication attempt is audited, the refused ones included' },
    // The media team (or the approving authority) records what went out, the requester's or not.
    expect: {
      'in-scope': okFor(['MEDIA_TEAM', 'APPROVER'], 403),
      'out-of-scope': notFoundFor(['MEDIA_TEAM', 'APPROVER']),
      'own-case': okFor(['MEDIA_TEAM', 'APPROVER'], 403),
    },
  },
  {
    operation: 'POST /official-accounts',
    prepare: () => Promise.resolve({ path: '/official-accounts', body: newAccount() }),
    expect: { 'in-scope': okFor(['APPROVER', 'MEDIA_TEAM'], 403), 'out-of-scope': every(403), 'own-case': okFor(['APPROVER', 'MEDIA_TEAM'], 403) },
  },
  // Which accounts are official is no secret inside the force: every role reads those in its scope.
  { operation: 'GET /official-accounts', prepare: () => Promise.resolve({ path: '/official-accounts' }), expect: same(every('ok')) },
  {
    operation: 'GET /official-accounts/{accountId}',
    prepare: () => Promise.resolve({ path: `/official-accounts/${accountId}` }),
    expect: { 'in-scope': every('ok'), 'out-of-scope': every(404), 'own-case': every('ok') },
  },
  {
    operation: 'POST /official-accounts/{accountId}/suspend',
    prepare: async () => ({ path: `/official-accounts/${await registerAccount(service)}/suspend`, body: { reason: 'Posted a political view' } }),
    expect: {
      'in-scope': okFor(['APPROVER', 'MEDIA_TEAM'], 403),
      'out-of-scope': notFoundFor(['APPROVER', 'MEDIA_TEAM']),
      'own-case': okFor(['APPROVER', 'MEDIA_TEAM'], 403),
    },
  },
  {
    operation: 'POST /official-accounts/{accountId}/reinstate',
    prepare: async (context, role) => ({
      path: `/official-accounts/${await suspended(context, role)}/reinstate`,
      body: { reason: 'Cleared by the inquiry' },
    }),
    // An APPROVER other than the one who suspended it.
    expect: { 'in-scope': okFor(['APPROVER'], 403), 'out-of-scope': notFoundFor(['APPROVER', 'MEDIA_TEAM']), 'own-case': every(403) },
  },
  // The hierarchy is no secret inside the force either; only ADMINs edit it, within their scope.
  { operation: 'GET /units', prepare: () => Promise.resolve({ path: '/units' }), expect: same(every('ok')) },
  {
    operation: 'GET /units/{unitId}',
    prepare: () => Promise.resolve({ path: '/units/ps-clifton' }),
    expect: { 'in-scope': every('ok'), 'out-of-scope': every(404), 'own-case': every('ok') },
  },
  {
    operation: 'POST /units',
    prepare: () => Promise.resolve({ path: '/units', body: { unitId: newUnitId(), name: 'New police post', ...SOUTH } }),
    expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': every(403), 'own-case': okFor(['ADMIN'], 403) },
  },
  {
    operation: 'POST /units/{unitId}/move',
    prepare: async () => ({
      path: `/units/${await southUnit()}/move`,
      body: { to: { ...SOUTH, district: 'karachi-east' }, reason: 'District boundaries redrawn' },
    }),
    // Moving between districts takes a caller whose scope holds both: the province.
    token: (role, context) =>
      service.token({ subject: subjectOf(role, context), roles: [role], scope: { province: context === 'out-of-scope' ? 'punjab' : 'sindh' } }),
    expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': notFoundFor(['ADMIN']), 'own-case': okFor(['ADMIN'], 403) },
  },
];

describe('approval-service authorization matrix', () => {
  describeAuthorizationMatrix({ service: () => service, token, rows });
});

/** Events recorded on behalf of people (the expiry watcher's `system:` events left out). */
const eventCount = async () =>
  Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE metadata->'actor'->>'id' NOT LIKE 'system:%'`)).rows[0]!.n);

describe('approval-service API fuzz', () => {
  describeApiFuzz({ service: () => service, token, rows, eventCount });
});
