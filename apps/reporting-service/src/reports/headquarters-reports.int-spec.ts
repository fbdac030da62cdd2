import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Admin, Producer } from 'kafkajs';
import { Role } from '@conduct/auth';
import { Topics } from '@conduct/messaging';
import { CLOCK } from '@conduct/event-sourcing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { committedShortOf, eventually, testKafka, topicEnds } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { generationGroupId } from '../generations/generations';
import {
  expectedApprovals,
  expectedCases,
  expectedOfficers,
  expectedSanctions,
  expectedTakedowns,
  expectedTrend,
  Selection,
} from '../testing/expected-figures';
import { publish } from '../testing/published-events';
import { reportScenario, scenarioEnvelopes } from '../testing/report-scenario';

jest.setTimeout(120_000);

/*
 * The HQ reports end to end inside reporting-service: a two-province scenario published as real
 * envelopes on the real topics, projected into real PostgreSQL, and every figure compared with
 * what expected-figures.ts works out from the scenario's plain objects. Province names are unique
 * to the run, so other tests' events on the shared topics never count.
 */

const run = randomBytes(3).toString('hex');
const scenario = reportScenario(run);
const envelopes = scenarioEnvelopes(scenario);
const allEnvelopes = [...envelopes.cases, ...envelopes.approvals, ...envelopes.notifications];
const { sindh, punjab } = scenario;

let service: TestService;
let producer: Producer;
let admin: Admin;

const publishScenario = async () => {
  await publish(producer, Topics.cases, envelopes.cases);
  await publish(producer, Topics.approvals, envelopes.approvals);
  await publish(producer, Topics.notifications, envelopes.notifications);
};

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  // Reports count overdue notices against the service's clock: after every event of the scenario.
  jest.spyOn(service.app.get<{ now(): Date }>(CLOCK), 'now').mockReturnValue(new Date(scenario.now));
  const kafka = testKafka('reporting-hq-reports-test');
  producer = kafka.producer();
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  await publishScenario();
  const ids = allEnvelopes.map((envelope) => envelope.eventId);
  await eventually(
    async () =>
      (await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_g1.inbox WHERE event_id = ANY($1)', [ids])).rows[0]?.n === ids.length,
    { timeoutMs: 60_000, intervalMs: 100, what: `all ${ids.length} scenario events in the read models` },
  );
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await service?.close();
});

type Who = { roles: Role[]; scope?: { province?: string } };
const hqSindh: Who = { roles: ['HQ_ANALYST'], scope: { province: sindh } };
const adminNational: Who = { roles: ['ADMIN'] };
const bearer = (who: Who) => `Bearer ${service.token({ subject: `user-${who.roles[0]!}`, roles: who.roles, scope: who.scope ?? {} })}`;
const get = (path: string, who: Who, query: Record<string, string> = {}) =>
  request(service.app.getHttpServer()).get(path).query(query).set('Authorization', bearer(who));

/** The figures of a JSON report, without its stamp. */
async function figures(path: string, who: Who, query: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await get(path, who, query).expect(200);
  const { generatedAt, filters, positions, ...rest } = response.body as Record<string, unknown>;
  expect(generatedAt).toBe(scenario.now);
  expect(filters).toEqual(query);
  expect(positions).toEqual(expect.any(Object));
  return rest;
}

/** Each report's path with the independent calculation of what it must say. */
const reports: [string, (selection: Selection, withNames: boolean) => object][] = [
  ['/reports/cases', (s) => expectedCases(scenario, s)],
  ['/reports/takedowns', (s) => expectedTakedowns(scenario, s)],
  ['/reports/approvals/summary', (s) => expectedApprovals(scenario, s)],
  ['/reports/sanctions', (s) => expectedSanctions(scenario, s)],
  ['/reports/officers', (s, withNames) => expectedOfficers(scenario, s, withNames)],
  ['/reports/trend', (s) => expectedTrend(scenario, s)],
];

/** Who asks, with which filters, and the selection that means in the scenario. */
const views: { name: string; who: Who; query: Record<string, string>; selection: Selection; withNames: boolean }[] = [
  {
    name: 'a national ADMIN filtering on Sindh',
    who: adminNational,
    query: { province: sindh },
    selection: { place: { province: sindh } },
    withNames: true,
  },
  { name: 'a Sindh HQ analyst with no filters', who: hqSindh, query: {}, selection: { place: { province: sindh } }, withNames: false },
  {
    name: 'a Sindh HQ analyst on Karachi South, February and March',
    who: hqSindh,
    query: { district: 'karachi-south', from: '2026-02-01', to: '2026-04-01' },
    selection: { place: { province: sindh, district: 'karachi-south' }, from: '2026-02-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
    withNames: false,
  },
  {
    // Partial first and last months: counted from the rows, the months between from the rollups.
    name: 'a national ADMIN on Sindh from 5 February noon to 12 March',
    who: adminNational,
    query: { province: sindh, from: '2026-02-05T12:00:00.000Z', to: '2026-03-12T00:00:00.000Z' },
    selection: { place: { province: sindh }, from: '2026-02-05T12:00:00.000Z', to: '2026-03-12T00:00:00.000Z' },
    withNames: true,
  },
  {
    name: 'a national ADMIN on Sindh from 20 January to 25 April',
    who: adminNational,
    query: { province: sindh, from: '2026-01-20T00:00:00.000Z', to: '2026-04-25T00:00:00.000Z' },
    selection: { place: { province: sindh }, from: '2026-01-20T00:00:00.000Z', to: '2026-04-25T00:00:00.000Z' },
    withNames: true,
  },
  {
    name: 'a Sindh HQ analyst on one unit of the Hyderabad range',
    who: hqSindh,
    query: { range: 'hyderabad', unitId: 'ps-latifabad' },
    selection: { place: { province: sindh, range: 'hyderabad', unitId: 'ps-latifabad' } },
    withNames: false,
  },
  {
    name: 'a national ADMIN on the Lahore range of Punjab',
    who: adminNational,
    query: { province: punjab, range: 'lahore' },
    selection: { place: { province: punjab, range: 'lahore' } },
    withNames: true,
  },
];

describe.each(views)('for $name', ({ who, query, selection, withNames }) => {
  it.each(reports)('%s matches the figures computed from the scenario', async (path, expected) => {
    expect(await figures(path, who, query)).toEqual(expected(selection, withNames));
  });
});

// Cases counted by when the conduct occurred or became known (nine and four days before the report,
// in the scenario): other months than by when they were reported, for whole months and partial ones.
describe.each(['observed', 'known'] as const)('counted by when cases were %s', (basis) => {
  it.each(views.filter((view) => view.name.includes('ADMIN') || view.name.includes('February')))('for $name', async ({ who, query, selection }) => {
    const asked = { ...query, basis };
    expect(await figures('/reports/cases', who, asked)).toEqual(expectedCases(scenario, { ...selection, basis }));
    expect(await figures('/reports/trend', who, asked)).toEqual(expectedTrend(scenario, { ...selection, basis }));
  });

  it('counts other months than by report date in this scenario, or the test above would not tell the bases apart', () => {
    const sindhOnly = { place: { province: sindh } };
    expect(expectedTrend(scenario, { ...sindhOnly, basis })).not.toEqual(expectedTrend(scenario, sindhOnly));
  });

  it('is refused by the reports that count by their own dates, naming the field', async () => {
    const response = await get('/reports/takedowns', adminNational, { basis }).expect(422);
    expect(response.body).toMatchObject({ code: 'report.basis-not-supported', errors: [{ field: 'basis' }] });
  });
});

it('refuses an unknown basis', async () => {
  const response = await get('/reports/cases', adminNational, { basis: 'imagined' }).expect(400);
  expect((response.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['basis']);
});

it('the scenario is not trivial: every report has something to say for Sindh', () => {
  const sindhOnly = { place: { province: sindh } };
  expect(expectedCases(scenario, sindhOnly)).toMatchObject({ opened: 6, closed: 3 });
  expect(expectedTakedowns(scenario, sindhOnly)).toMatchObject({ served: 4, removedWithinDeadline: 1, removedLate: 1, overdueNow: 1, pending: 1 });
  expect(expectedApprovals(scenario, sindhOnly)).toMatchObject({ requested: 4, granted: 2, rejected: 1, refusedPublicationAttempts: 2 });
  expect(expectedOfficers(scenario, sindhOnly, true).officers.map((o) => o.serviceNumber)).toEqual([`KHI-${run}-1`, `HYD-${run}-3`]);
  expect(expectedTrend(scenario, sindhOnly).months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
});

interface Schema {
  $ref?: string;
  additionalProperties?: unknown;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

/**
 * Checks a JSON value against an OpenAPI schema as the document gives it: every field it sends is
 * declared with its type, and every required one is sent. Answers the paths that disagree.
 */
function disagreements(value: unknown, schema: Schema, components: Record<string, Schema>, path = '$'): string[] {
  const resolved = schema.$ref ? components[schema.$ref.split('/').at(-1)!]! : schema;
  if (value === null) return resolved.nullable ? [] : [`${path} is null, not declared nullable`];
  if (Array.isArray(value)) {
    if (resolved.type !== 'array') return [`${path} is an array, declared ${resolved.type}`];
    return value.flatMap((item, index) => disagreements(item, resolved.items!, components, `${path}[${index}]`));
  }
  if (typeof value === 'object') {
    if (resolved.additionalProperties !== undefined && !resolved.properties) return [];
    const fields = value as Record<string, unknown>;
    const undeclared = Object.keys(fields)
      .filter((key) => !resolved.properties?.[key])
      .map((key) => `${path}.${key} is not declared`);
    const missing = (resolved.required ?? []).filter((key) => !(key in fields)).map((key) => `${path}.${key} is required but absent`);
    const nested = Object.entries(fields).flatMap(([key, item]) =>
      resolved.properties?.[key] ? disagreements(item, resolved.properties[key], components, `${path}.${key}`) : [],
    );
    return [...undeclared, ...missing, ...nested];
  }
  const type = typeof value === 'number' ? ['number', 'integer'] : [typeof value];
  return type.includes(resolved.type ?? '') ? [] : [`${path} is a ${typeof value}, declared ${resolved.type}`];
}

describe('the OpenAPI document', () => {
  it.each(reports)('declares every figure %s sends, with its type', async (path) => {
    const document = (await request(service.app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>;
      components: { schemas: Record<string, Schema> };
    };
    const schema = document.paths[path]!.get.responses['200']!.content['application/json']!.schema;
    expect(schema.$ref).toEqual(expect.stringMatching(/ReportView$/));
    const body = (await get(path, adminNational).expect(200)).body as unknown;
    expect(disagreements(body, schema, document.components.schemas)).toEqual([]);
  });
});

describe('scope', () => {
  it('a Sindh analyst asking for Punjab gets nothing of Punjab: the scope applies before the filters', async () => {
    const query = { province: punjab };
    expect(await figures('/reports/cases', hqSindh, query)).toEqual({ opened: 0, closed: 0, openedByStatus: [], byClause: [] });
    expect(await figures('/reports/takedowns', hqSindh, query)).toMatchObject({ served: 0, overdueNow: 0 });
    expect(await figures('/reports/approvals/summary', hqSindh, query)).toMatchObject({ requested: 0, refusedPublicationAttempts: 0 });
    expect(await figures('/reports/officers', hqSindh, query)).toEqual({ officers: [], earlyInterventionFlags: [] });
    expect(await figures('/reports/trend', hqSindh, query)).toEqual({ months: [] });
  });

  it('a Sindh analyst never sees a Punjab officer, even unfiltered', async () => {
    const body = JSON.stringify((await get('/reports/officers', hqSindh).expect(200)).body);
    expect(body).not.toContain(`LHR-${run}`);
    expect(body).not.toContain('Bilal');
  });

  it.each([
    ['INTEGRATION', { roles: ['INTEGRATION'] as Role[] }],
    ['OFFICER', { roles: ['OFFICER'] as Role[], scope: { province: sindh } }],
    ['IA_INVESTIGATOR', { roles: ['IA_INVESTIGATOR'] as Role[], scope: { province: sindh } }],
  ])('%s may not pull reports (403)', async (_role, who) => {
    for (const [path] of reports) {
      const response = await get(path, who).expect(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('asks for a token (401) without one', async () => {
    await request(service.app.getHttpServer()).get('/reports/cases').expect(401);
  });
});

describe('bad filters answer problem+json naming the field, never a 500', () => {
  it.each([
    ['a date that is not ISO 8601', { from: '01/02/2026' }, 'from'],
    ['an unknown format', { format: 'xlsx' }, 'format'],
    ['an unknown filter', { officer: 'x' }, 'officer'],
    ['an overlong province', { province: 'x'.repeat(65) }, 'province'],
  ])('%s: 400', async (_case, query, field) => {
    const response = await get('/reports/cases', hqSindh, query).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('a period that ends before it starts: 422 on `to`', async () => {
    const response = await get('/reports/trend', hqSindh, { from: '2026-03-01', to: '2026-02-01' }).expect(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.body)).toContain('to');
  });
});

/** Minimal CSV reading for the assertions: the scenario's values hold no quotes or commas. */
const csvLines = (text: string) => text.split('\r\n').filter((line) => line !== '');

describe('CSV', () => {
  it('is one table with a header, after comment lines that carry the positions, as an attachment', async () => {
    const response = await get('/reports/cases', hqSindh, { format: 'csv' }).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="cases-2026-04-15\.csv"$/);
    const lines = csvLines(response.text);
    const comments = lines.filter((line) => line.startsWith('# '));
    expect(comments.map((line) => line.split(':')[0])).toEqual(['# report', '# generatedAt', '# filters', '# positions']);
    const positions = JSON.parse(comments[3]!.slice('# positions: '.length)) as Record<string, Record<string, number>>;
    expect(Object.keys(positions)).toEqual(expect.arrayContaining([Topics.cases, Topics.approvals]));
    const [header, ...rows] = lines.slice(comments.length);
    expect(header).toBe('figure,key,value');
    const expected = expectedCases(scenario, { place: { province: sindh } });
    expect(rows).toEqual([
      `opened,,${expected.opened}`,
      `closed,,${expected.closed}`,
      ...expected.openedByStatus.map((s) => `openedByStatus,${s.status},${s.cases}`),
      ...expected.byClause.map((c) => `openedByClause,${c.clause},${c.opened}`),
      ...expected.byClause.map((c) => `closedByClause,${c.clause},${c.closed}`),
    ]);
  });

  it('follows Accept: text/csv; the trend is one line per month', async () => {
    const response = await get('/reports/trend', hqSindh).set('Accept', 'text/csv').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = csvLines(response.text).filter((line) => !line.startsWith('#'));
    expect(header).toBe(
      'month,opened,closed,takedownsServed,takedownsRemovedWithinDeadline,takedownComplianceRate,approvalsRequested,approvalsGranted,sanctionsImposed',
    );
    const expected = expectedTrend(scenario, { place: { province: sindh } }).months;
    expect(rows).toEqual(
      expected.map((m) =>
        Object.values(m)
          .map((value) => (value === null ? '' : String(value)))
          .join(','),
      ),
    );
  });

  it('gives each sanction type its severity in the sanctions CSV, as the JSON has it', async () => {
    const lines = csvLines((await get('/reports/sanctions', hqSindh, { format: 'csv' }).expect(200)).text).filter((line) =>
      line.startsWith('severityByType,'),
    );
    const expected = expectedSanctions(scenario, { place: { province: sindh } }).byType;
    expect(expected.length).toBeGreaterThan(0);
    expect(lines).toEqual(expected.map((type) => `severityByType,${type.sanction},${type.severity}`));
  });

  it('names officers only for roles allowed to see names, and quotes a name with a comma', async () => {
    const forAnalyst = csvLines((await get('/reports/officers', hqSindh, { format: 'csv' }).expect(200)).text).filter(
      (line) => !line.startsWith('#'),
    );
    expect(forAnalyst[0]).toBe('serviceNumber,cases,substantiatedFindings,flags,repeatOffender,flagsRaisedAt,flaggedCaseIds');
    expect(forAnalyst.join('\n')).not.toContain('Imran');
    const forAdmin = (await get('/reports/officers', adminNational, { province: sindh, format: 'csv' }).expect(200)).text;
    expect(forAdmin).toContain('serviceNumber,name,cases,substantiatedFindings,flags,repeatOffender,flagsRaisedAt,flaggedCaseIds');
    // The JSON's early-intervention flag, on the officer's line: when it was raised and the cases behind it.
    const imranFlag = scenario.flags.find((flag) => flag.serviceNumber === `KHI-${run}-1`)!;
    expect(forAdmin).toContain(`KHI-${run}-1,Imran Ali,3,2,1,true,${new Date(imranFlag.raisedAt).toISOString()},${imranFlag.caseIds.join(' ')}`);
    expect(forAdmin).toContain(`HYD-${run}-3,"Kamran ""Kami"" Shah, Jr.",2,0,0,true,,`);
  });
});

describe('positions stamp', () => {
  it('names, per topic and partition, an offset at or past every scenario event the figures include', async () => {
    const { positions } = (await get('/reports/cases', hqSindh).expect(200)).body as { positions: Record<string, Record<string, number>> };
    const { rows } = await service.db.query<{ topic: string; partition: number; offset: string }>(
      `SELECT topic, partition, max("offset")::text AS "offset" FROM rm_g1.inbox WHERE event_id = ANY($1) GROUP BY topic, partition`,
      [allEnvelopes.map((envelope) => envelope.eventId)],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(positions[row.topic]?.[String(row.partition)]).toBeGreaterThanOrEqual(Number(row.offset));
  });
});

describe('case list', () => {
  type Listed = {
    items: { caseId: string; officer: { serviceNumber: string; name: string | null }; takedown: { overdue: boolean } | null }[];
    total: number;
    nextCursor: string | null;
  };
  const list = async (who: Who, query: Record<string, string>) =>
    (await get('/cases', who, { province: sindh, ...query }).expect(200)).body as Listed;
  const investigator: Who = { roles: ['IA_INVESTIGATOR'], scope: { province: sindh } };
  const ids = (names: string[]) => names.map((name) => `${run}-${name}`);

  it('lists the scope, newest report first, and pages', async () => {
    const all = await list(hqSindh, {});
    expect(all.total).toBe(6);
    expect(all.items.map((item) => item.caseId)).toEqual(ids(['s5', 's6', 's4', 's3', 's2', 's1']));
    const second = await list(hqSindh, { page: '2', pageSize: '4' });
    expect(second).toMatchObject({ total: 6, page: 2, pageSize: 4 });
    expect(second.items.map((item) => item.caseId)).toEqual(ids(['s2', 's1']));
  });

  it('pages by cursor: each nextCursor leads on through the same order, without a total, to a null cursor at the end', async () => {
    const byNumber = await list(hqSindh, { pageSize: '4' });
    expect(byNumber).toMatchObject({ total: 6, page: 1, nextCursor: expect.any(String) });
    const after = async (cursor: string, pageSize: string) =>
      (await get('/cases', hqSindh, { province: sindh, pageSize, after: cursor }).expect(200)).body as Listed;
    const rest = await after(byNumber.nextCursor!, '4');
    expect(rest.items.map((item) => item.caseId)).toEqual(ids(['s2', 's1']));
    expect(rest).not.toHaveProperty('total');
    expect(rest).not.toHaveProperty('page');
    expect(rest.nextCursor).toBeNull();

    // Walking two at a time meets every case once, in the list's order.
    let page = await list(hqSindh, { pageSize: '2' });
    const walked = page.items.map((item) => item.caseId);
    while (page.nextCursor) {
      page = await after(page.nextCursor, '2');
      walked.push(...page.items.map((item) => item.caseId));
    }
    expect(walked).toEqual(ids(['s5', 's6', 's4', 's3', 's2', 's1']));
    // Filters apply after a cursor too.
    expect((await get('/cases', hqSindh, { province: sindh, status: 'closed', after: byNumber.nextCursor! }).expect(200)).body).toMatchObject({
      items: [{ caseId: `${run}-s2` }, { caseId: `${run}-s1` }],
    });
  });

  it('refuses a cursor it did not give out, and a cursor with a page, naming the field', async () => {
    for (const [query, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }, 'after'],
      [{ after: (await list(hqSindh, { pageSize: '1' })).nextCursor!, page: '2' }, 'page'],
    ] as const) {
      const response = await get('/cases', hqSindh, query).expect(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect((response.body.errors as { field: string }[]).map((error) => error.field)).toEqual([field]);
    }
  });

  it('filters by clause, officer, status, overdue takedown and period', async () => {
    const caseIds = async (query: Record<string, string>) => (await list(hqSindh, query)).items.map((item) => item.caseId);
    expect(await caseIds({ clause: 'SND-5' })).toEqual(ids(['s2']));
    expect(await caseIds({ officer: `KHI-${run}-1` })).toEqual(ids(['s6', 's2', 's1']));
    expect(await caseIds({ status: 'closed' })).toEqual(ids(['s4', 's2', 's1']));
    expect(await caseIds({ overdue: 'true' })).toEqual(ids(['s3']));
    expect(await caseIds({ from: '2026-02-01', to: '2026-03-01' })).toEqual(ids(['s3', 's2']));
  });

  it('shows officer names to an investigator and not to an HQ analyst', async () => {
    expect((await list(investigator, { officer: `KHI-${run}-1` })).items.map((item) => item.officer.name)).toEqual([
      'Imran Ali',
      'Imran Ali',
      'Imran Ali',
    ]);
    expect((await list(hqSindh, { officer: `KHI-${run}-1` })).items.map((item) => item.officer.name)).toEqual([null, null, null]);
  });

  it('is closed to OFFICER and INTEGRATION', async () => {
    await get('/cases', { roles: ['OFFICER'], scope: { province: sindh } }).expect(403);
    await get('/cases', { roles: ['INTEGRATION'] }).expect(403);
  });
});

describe('projections the reports do not show', () => {
  it('keeps each notice with its state, placed in the hierarchy', async () => {
    const { rows } = await service.db.query(
      `SELECT notification_id, kind, case_id, status, attempts, sent_at, province, unit_id FROM rm_g1.notifications WHERE case_id LIKE $1 ORDER BY notification_id`,
      [`${run}-%`],
    );
    expect(rows).toEqual(
      scenario.notices.map((n) => ({
        notification_id: n.notificationId,
        kind: 'takedown-notice',
        case_id: n.caseId,
        status: n.sentAt ? 'sent' : 'queued',
        attempts: n.sentAt ? 1 : 0,
        sent_at: n.sentAt ? new Date(n.sentAt) : null,
        province: n.place.province,
        unit_id: n.place.unitId,
      })),
    );
  });

  it("keeps each officer's history in business-time order, flags included", async () => {
    const imran = scenario.cases[0]!.officer.serviceNumber;
    const { rows } = await service.db.query<{ type: string; case_id: string | null }>(
      'SELECT type, case_id FROM rm_g1.officer_history WHERE service_number = $1 ORDER BY at, type',
      [imran],
    );
    const c = (name: string) => `${run}-${name}`;
    expect(rows).toEqual([
      { type: 'ViolationReported', case_id: c('s1') },
      { type: 'FindingRecorded', case_id: c('s1') },
      { type: 'SanctionImposed', case_id: c('s1') },
      { type: 'CaseClosed', case_id: c('s1') },
      { type: 'ViolationReported', case_id: c('s2') },
      { type: 'TakedownDeadlineMissed', case_id: c('s2') },
      { type: 'FindingRecorded', case_id: c('s2') },
      { type: 'EarlyInterventionFlagRaised', case_id: null },
      { type: 'SanctionImposed', case_id: c('s2') },
      { type: 'AppealDecided', case_id: c('s2') },
      { type: 'CaseClosed', case_id: c('s2') },
      { type: 'ViolationReported', case_id: c('s6') },
      { type: 'FindingRecorded', case_id: c('s6') },
      { type: 'AppealDecided', case_id: c('s6') },
    ]);
  });
});

describe('replay', () => {
  /** Every row the scenario put in the read models, in a stable order. */
  async function readModelRows(): Promise<Record<string, unknown[]>> {
    const tables = [
      'cases',
      'takedown_notices',
      'findings',
      'sanctions',
      'officer_history',
      'early_intervention_flags',
      'notifications',
      'approvals_report',
    ];
    const snapshot: Record<string, unknown[]> = {};
    for (const table of tables)
      snapshot[table] = (await service.db.query(`SELECT * FROM rm_g1.${table} ORDER BY 1`)).rows.filter((row) => JSON.stringify(row).includes(run));
    return snapshot;
  }

  /** Waits until the generation's consumer group has committed past everything on the topics now. */
  async function consumedToTheEnd(): Promise<void> {
    const groupId = generationGroupId(process.env['KAFKA_GROUP_PREFIX'], 1);
    const ends = await topicEnds(admin, [Topics.cases, Topics.approvals, Topics.notifications]);
    await eventually(
      async () => {
        const short = await committedShortOf(admin, groupId, ends);
        if (short) throw new Error(short);
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the consumer to commit past the replay' },
    );
  }

  it('publishing the whole scenario a second time changes no row and no figure', async () => {
    const reportsBefore = await Promise.all(reports.map(([path]) => figures(path, hqSindh, {})));
    const rowsBefore = await readModelRows();
    expect(rowsBefore['cases']).toHaveLength(scenario.cases.length);

    await publishScenario();
    await consumedToTheEnd();

    expect(await readModelRows()).toEqual(rowsBefore);
    expect(await Promise.all(reports.map(([path]) => figures(path, hqSindh, {})))).toEqual(reportsBefore);
    const { rows } = await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_g1.inbox WHERE event_id = ANY($1)', [
      allEnvelopes.map((e) => e.eventId),
    ]);
    expect(rows[0]?.n).toBe(allEnvelopes.length);
  });
});
