import { randomBytes } from 'node:crypto';
import { Role } from '@conduct/auth';
import {
  describeApiFuzz,
  describeAuthorizationMatrix,
  every,
  MatrixContext,
  MatrixRow,
  notFoundFor,
  okFor,
  startTestService,
  TestService,
  SERVICE_START_TIMEOUT_MS,
} from '@conduct/service-testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { eventCount, http, officer, violationReport } from './testing/case-fixtures';

jest.setTimeout(300_000);

/*
 * Who may do what on violation-service, written out by hand (not read from CASE_ROLE_MATRIX or the
 * guards): every operation × every role × a case in the caller's scope, outside it, and about the
 * caller. Each attempt gets a fresh case at the stage the operation needs, prepared by other people.
 */
let service: TestService;
beforeAll(async () => {
  service = await startTestService(AppModule, `${SERVICE_NAME}-matrix`);
}, SERVICE_START_TIMEOUT_MS);
afterAll(async () => {
  await service?.close();
});

const SCOPES: Record<MatrixContext, { province: string; range?: string; district?: string }> = {
  'in-scope': { province: 'sindh', range: 'karachi', district: 'karachi-south' },
  'out-of-scope': { province: 'punjab' },
  'own-case': { province: 'sindh', range: 'karachi', district: 'karachi-south' },
};
const subjectOf = (role: Role, context: MatrixContext) => `${role.toLowerCase()}-${context}`;
const token = (role: Role, context: MatrixContext) =>
  service.token({
    subject: subjectOf(role, context),
    roles: [role],
    scope: SCOPES[context],
    ...(context === 'own-case' ? { serviceNumber: officer.serviceNumber } : {}),
  });

// The people who bring a case to the stage an operation needs.
const setup = {
  investigator: () => service.token({ subject: 'ia-setup', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } }),
  authority: () => service.token({ subject: 'da-setup', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh' } }),
  admin: () => service.token({ subject: 'admin-setup', roles: ['ADMIN'], scope: {} }),
};
const post = async (path: string, who: string, body: object, status = 201) =>
  (await http(service).post(path, who, body).expect(status)).body as Record<string, string>;
const reported = async () => (await post('/cases', setup.investigator(), violationReport())).caseId!;
/** Only the assigned investigator records the finding. */
const assigned = async (investigatorId = 'ia-setup') => {
  const caseId = await reported();
  await post(`/cases/${caseId}/investigator`, setup.investigator(), { investigatorId }, 200);
  return caseId;
};
const withNotice = async () => {
  const caseId = await reported();
  const { noticeId } = await post(`/cases/${caseId}/takedown-notices`, setup.investigator(), {});
  return { caseId, noticeId: noticeId! };
};
const found = async (outcome: 'substantiated' | 'not-substantiated' = 'substantiated') => {
  const caseId = await assigned();
  const finding =
    outcome === 'substantiated'
      ? { outcome, clauses: ['SND-1'], reasons: ['The video shows the uniform'] }
      : { outcome, reasons: ['Not the officer'] };
  await post(`/cases/${caseId}/findings`, setup.investigator(), finding);
  return caseId;
};
const sanctioned = async () => {
  const caseId = await found();
  await post(`/cases/${caseId}/sanctions`, setup.authority(), { sanction: 'censure', reasons: ['First offence'] });
  return caseId;
};
const showCauseServed = async () => {
  const caseId = await found();
  await post(`/cases/${caseId}/show-cause-notice`, setup.authority(), { grounds: ['Posted in uniform'], proposedSanction: 'dismissal' });
  return caseId;
};
const replied = async () => {
  const caseId = await showCauseServed();
  await post(`/cases/${caseId}/show-cause-notice/reply`, setup.authority(), { reply: 'Filmed off duty' });
  return caseId;
};
const appealed = async () => {
  const caseId = await sanctioned();
  const { appealId } = await post(`/cases/${caseId}/appeals`, setup.authority(), { grounds: ['Lodged on paper by the officer'] });
  return { caseId, appealId: appealId! };
};
const closed = async () => {
  const caseId = await found('not-substantiated');
  await post(`/cases/${caseId}/close`, setup.authority(), { reasons: ['Cleared'] }, 200);
  return caseId;
};

/** A person with no case yet, for the operations on a person's data. */
const newPerson = () => `MX-${randomBytes(4).toString('hex')}`;
/**
 * An operation on a person's data: a national administrator only. In scope the caller is national;
 * outside it and on their own record they are not, so even an ADMIN is refused.
 */
const person = (operation: string, prepare: () => Promise<{ path: string; body?: object }>): MatrixRow => ({
  operation,
  prepare,
  token: (role, context) =>
    context === 'in-scope' ? service.token({ subject: subjectOf(role, context), roles: [role], scope: {} }) : token(role, context),
  expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': every(403), 'own-case': every(403) },
});

const IA: Role[] = ['IA_INVESTIGATOR'];
const DA: Role[] = ['DISCIPLINARY_AUTHORITY'];
const CASE_READERS: Role[] = ['IA_INVESTIGATOR', 'APPROVER', 'DISCIPLINARY_AUTHORITY'];

/** A command on an existing case: `roles` may send it in scope; outside it the case does not exist; nobody acts on their own case. */
const command = (operation: string, roles: Role[], prepare: () => Promise<{ path: string; body?: object }>): MatrixRow => ({
  operation,
  prepare,
  expect: { 'in-scope': okFor(roles, 403), 'out-of-scope': notFoundFor(roles), 'own-case': every(403) },
});
/** A read of one case: its readers in scope, and the officer it is about whatever their roles. */
const caseRead = (operation: string, suffix: string): MatrixRow => ({
  operation,
  prepare: async () => ({ path: `/cases/${await reported()}${suffix}` }),
  expect: { 'in-scope': okFor(CASE_READERS, 404), 'out-of-scope': every(404), 'own-case': every('ok') },
});

const rows: MatrixRow[] = [
  {
    operation: 'POST /cases',
    prepare: () => Promise.resolve({ path: '/cases', body: violationReport() }),
    // Outside your scope you named the jurisdiction yourself: 403, nothing to hide. Nobody reports themselves.
    expect: { 'in-scope': okFor(['IA_INVESTIGATOR', 'APPROVER'], 403), 'out-of-scope': every(403), 'own-case': every(403) },
  },
  {
    operation: 'GET /cases',
    prepare: () => Promise.resolve({ path: '/cases' }),
    // A list is filtered to the scope: out of it, the same roles get an empty page; an officer gets their own cases only.
    expect: (() => {
      const listers = okFor([...CASE_READERS, 'HQ_ANALYST', 'ADMIN', 'OFFICER'], 403);
      return { 'in-scope': listers, 'out-of-scope': listers, 'own-case': listers };
    })(),
  },
  caseRead('GET /cases/{caseId}', ''),
  caseRead('GET /cases/{caseId}/events', '/events'),
  caseRead('GET /cases/{caseId}/verification', '/verification'),
  command('POST /cases/{caseId}/investigator', ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'], async () => ({
    path: `/cases/${await reported()}/investigator`,
    body: { investigatorId: 'ia-new' },
  })),
  command('POST /cases/{caseId}/evidence', IA, async () => ({
    path: `/cases/${await reported()}/evidence`,
    body: { sha256: 'b'.repeat(64), capturedAt: new Date().toISOString(), archiveLocation: 's3://conduct-evidence/ev-2' },
  })),
  command('POST /cases/{caseId}/notes', ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'], async () => ({
    path: `/cases/${await reported()}/notes`,
    body: { text: 'Spoke to the SHO' },
  })),
  command('POST /cases/{caseId}/takedown-notices', IA, async () => ({ path: `/cases/${await reported()}/takedown-notices`, body: {} })),
  command('POST /cases/{caseId}/takedown-notices/{noticeId}/removal', IA, async () => {
    const { caseId, noticeId } = await withNotice();
    return { path: `/cases/${caseId}/takedown-notices/${noticeId}/removal`, body: {} };
  }),
  command('POST /cases/{caseId}/findings', IA, async () => ({
    path: `/cases/${await assigned(subjectOf('IA_INVESTIGATOR', 'in-scope'))}/findings`,
    body: { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['The video shows the uniform'] },
  })),
  command('POST /cases/{caseId}/show-cause-notice', DA, async () => ({
    path: `/cases/${await found()}/show-cause-notice`,
    body: { grounds: ['Posted in uniform'], proposedSanction: 'dismissal' },
  })),
  command('POST /cases/{caseId}/show-cause-notice/reply', DA, async () => ({
    path: `/cases/${await showCauseServed()}/show-cause-notice/reply`,
    body: { reply: 'Filmed off duty' },
  })),
  command('POST /cases/{caseId}/hearing', DA, async () => ({
    path: `/cases/${await replied()}/hearing`,
    body: { heldAt: new Date().toISOString(), officerPresent: true, record: 'Heard the officer' },
  })),
  command('POST /cases/{caseId}/sanctions', DA, async () => ({
    path: `/cases/${await found()}/sanctions`,
    body: { sanction: 'censure', reasons: ['First offence'] },
  })),
  {
    operation: 'POST /cases/{caseId}/appeals',
    prepare: async () => ({ path: `/cases/${await sanctioned()}/appeals`, body: { grounds: ['The video predates the policy'] } }),
    // An authority records an appeal lodged on paper; the officer concerned files their own (an
    // officer's role admits the route, but only for their own case).
    expect: {
      'in-scope': okFor(DA, 403),
      'out-of-scope': notFoundFor(['OFFICER', 'DISCIPLINARY_AUTHORITY']),
      'own-case': okFor(['OFFICER', 'DISCIPLINARY_AUTHORITY'], 403),
    },
  },
  command('POST /cases/{caseId}/appeals/{appealId}/decision', DA, async () => {
    const { caseId, appealId } = await appealed();
    return { path: `/cases/${caseId}/appeals/${appealId}/decision`, body: { outcome: 'dismissed', reasons: ['The policy was in force'] } };
  }),
  command('POST /cases/{caseId}/close', DA, async () => ({
    path: `/cases/${await found('not-substantiated')}/close`,
    body: { reasons: ['Cleared'] },
  })),
  command('POST /cases/{caseId}/reopen', DA, async () => ({ path: `/cases/${await closed()}/reopen`, body: { reasons: ['New evidence'] } })),
  {
    operation: 'GET /access-log',
    prepare: async () => ({ path: `/access-log?caseId=${await reported()}` }),
    // Internal affairs and ADMINs ask who read a case in their scope; not of a case about themselves.
    expect: {
      'in-scope': okFor(['IA_INVESTIGATOR', 'ADMIN'], 403),
      'out-of-scope': notFoundFor(['IA_INVESTIGATOR', 'ADMIN']),
      'own-case': every(403),
    },
  },
  person('GET /people/{serviceNumber}', () => Promise.resolve({ path: `/people/${newPerson()}` })),
  person('POST /people/{serviceNumber}/legal-holds', () =>
    Promise.resolve({ path: `/people/${newPerson()}/legal-holds`, body: { reasons: ['A writ petition names the officer'] } }),
  ),
  person('POST /people/{serviceNumber}/legal-holds/{holdId}/release', async () => {
    const serviceNumber = newPerson();
    const { holdId } = await post(`/people/${serviceNumber}/legal-holds`, setup.admin(), { reasons: ['A writ petition names the officer'] });
    return { path: `/people/${serviceNumber}/legal-holds/${holdId!}/release`, body: { reasons: ['The petition was disposed of'] } };
  }),
  person('POST /retention/runs', () => Promise.resolve({ path: '/retention/runs', body: { dryRun: true } })),
  person('POST /people/{serviceNumber}/erasure', () =>
    Promise.resolve({ path: `/people/${newPerson()}/erasure`, body: { reasons: ['The officer asked for erasure'] } }),
  ),
];

describe('violation-service authorization matrix', () => {
  describeAuthorizationMatrix({ service: () => service, token, rows });
});

describe('violation-service API fuzz', () => {
  describeApiFuzz({ service: () => service, token, rows, eventCount: () => eventCount(service) });
});
