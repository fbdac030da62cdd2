import { randomBytes, randomUUID } from 'node:crypto';
import { readTopicsToEnd, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testInfrastructure, testKafka, withDatabaseClient } from '@conduct/testing';
import { BaseServiceConfig } from '@conduct/config';
import { keystorePool, PersonalDataKeys } from '@conduct/personal-data';
import { CLOCK, MessagingLifecycle } from '@conduct/event-sourcing';
import { EventStore } from '@conduct/event-store';
import { OFFICER_STREAM_TYPE } from '@conduct/cases-domain';
import { AppModule, SERVICE_NAME } from '../app.module';
import { http, people, reportCase, violationReport } from '../testing/case-fixtures';
import { RetentionRun } from './personal-data-retention';
import { reapplyErasures } from './reapply-erasures';

interface Problem {
  errors: { field: string; reason: string }[];
}

/*
 * Erasure by deleting an officer's key (crypto-shredding, ADR 21), over HTTP on real PostgreSQL
 * and Kafka: refused while a case is open or a hold stands; afterwards the name reads [erased],
 * the chain still verifies, and the name is nowhere in the database or on the topic.
 */
describe("erasing an officer's personal data", () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;
  let admin: string;
  const run = randomBytes(4).toString('hex');
  const serviceNumber = `ERA-${run}`;
  const name = `Constable Zebunnisa ${run}`;
  const report = () => ({ ...violationReport(), officer: { serviceNumber, name, rank: 'Constable', unitId: 'ps-clifton' } });

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    api = http(service);
    admin = service.token({ subject: 'admin-hq', roles: ['ADMIN'], scope: {} });
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  /** Rows of every table of the service's database whose text holds `text`. */
  const tablesHolding = async (text: string): Promise<string[]> => {
    const tables = (await service.db.query<{ name: string }>(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`))
      .rows;
    const found: string[] = [];
    for (const { name: table } of tables) {
      const { rows } = await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`, [text]);
      if (Number(rows[0]!.n) > 0) found.push(table);
    }
    return found;
  };

  /** A case about the officer brought to its end the quickest way: assigned, found not substantiated, closed. */
  const closedCase = async (serviceNumber: string, name: string): Promise<string> => {
    const caseId = await reportCase(service, { ...report(), officer: { serviceNumber, name, rank: 'Constable', unitId: 'ps-clifton' } });
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'not-substantiated', reasons: ['Not the officer'] }).expect(201);
    await api.post(`/cases/${caseId}/close`, who.authority, { reasons: ['Cleared'] }).expect(200);
    return caseId;
  };

  it('records the name sealed, shows it to readers, and after erasure shows [erased] while every hash still verifies', async () => {
    const caseId = await reportCase(service, report());
    const stored = await service.db.query<{ name: string }>(`SELECT data->'officer'->>'name' AS name FROM events WHERE stream_id = $1`, [caseId]);
    expect(stored.rows[0]!.name).toMatch(/^pii:v1:[0-9a-f-]{36}:[A-Za-z0-9_-]+$/);
    expect(await tablesHolding(name)).toEqual([]);

    expect((await api.get(`/cases/${caseId}`, who.investigator).expect(200)).body.file.report.officer.name).toBe(name);
    // The trail is what the hash covers: sealed.
    const trail = (await api.get(`/cases/${caseId}/events`, who.investigator).expect(200)).body as {
      events: { data: { officer?: { name: string } }; hash: string }[];
    };
    expect(trail.events[0]!.data.officer!.name).toBe(stored.rows[0]!.name);
    await eventually(
      async () => ((await api.get(`/cases?officer=${serviceNumber}`, who.investigator)).body as { items: unknown[] }).items.length === 1,
      {
        what: 'the case in the cases list',
      },
    );
    const listed = (await api.get(`/cases?officer=${serviceNumber}`, who.investigator).expect(200)).body as {
      items: { officer: { name: string } }[];
    };
    expect(listed.items[0]!.officer.name).toBe(name);

    // Open case: refused, naming it.
    const open = await api.post(`/people/${serviceNumber}/erasure`, admin, { reasons: ['The officer asked for erasure'] }).expect(409);
    expect(open.body).toMatchObject({ code: 'officer-record.open-cases' });
    expect(open.body.detail).toContain(caseId);

    // A legal hold, then the case closed: the hold still refuses it.
    const held = await api.post(`/people/${serviceNumber}/legal-holds`, admin, { reasons: ['A writ petition names the officer'] }).expect(201);
    const holdId = (held.body as { holdId: string }).holdId;
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'not-substantiated', reasons: ['Not the officer'] }).expect(201);
    await api.post(`/cases/${caseId}/close`, who.authority, { reasons: ['Cleared'] }).expect(200);
    await eventually(async () => ((await api.get(`/people/${serviceNumber}`, admin)).body as { openCaseIds: string[] }).openCaseIds.length === 0, {
      what: 'the closed case to leave the open ones',
    });
    const hold = await api.post(`/people/${serviceNumber}/erasure`, admin, { reasons: ['The officer asked for erasure'] }).expect(409);
    expect(hold.body).toMatchObject({ code: 'officer-record.legal-hold' });
    await api.post(`/people/${serviceNumber}/legal-holds/${holdId}/release`, admin, { reasons: ['The petition was disposed of'] }).expect(200);

    const hashesBefore = (await service.db.query<{ hash: string }>(`SELECT hash FROM events WHERE stream_id = $1 ORDER BY stream_version`, [caseId]))
      .rows;
    const erased = await api.post(`/people/${serviceNumber}/erasure`, admin, { reasons: ['The officer asked for erasure'] }).expect(200);
    expect(erased.body).toMatchObject({ serviceNumber, keysDeleted: 1, erasedAt: expect.any(String) });

    const afterwards = (await api.get(`/cases/${caseId}`, who.investigator).expect(200)).body;
    expect(afterwards.file.report.officer).toMatchObject({ serviceNumber, name: '[erased]' });
    expect((await api.get(`/cases?officer=${serviceNumber}`, who.investigator).expect(200)).body.items[0].officer.name).toBe('[erased]');
    expect((await api.get(`/cases/${caseId}/verification`, who.authority).expect(200)).body).toEqual({ caseId, intact: true, eventsChecked: 4 });
    expect((await service.db.query(`SELECT hash FROM events WHERE stream_id = $1 ORDER BY stream_version`, [caseId])).rows).toEqual(hashesBefore);

    const record = (await api.get(`/people/${serviceNumber}`, admin).expect(200)).body;
    expect(record).toMatchObject({
      serviceNumber,
      holds: [],
      erasures: [{ erasedBy: 'admin-hq', basis: 'request' }],
      openCaseIds: [],
      version: 3,
    });
    const types = (await service.db.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`, [serviceNumber]))
      .rows;
    expect(types.map((row) => row.type)).toEqual(['LegalHoldPlaced', 'LegalHoldReleased', 'PersonalDataErased']);
    // Nowhere in the service's tables, nor on the topic its events went out on.
    expect(await tablesHolding(name)).toEqual([]);
    const published = async (): Promise<{ key: string; value: string }[]> => {
      const messages: { key: string; value: string }[] = [];
      await readTopicsToEnd(
        testKafka(),
        [Topics.cases],
        (_topic, _partition, message) => messages.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' }),
        { groupPrefix: `erasure-scan-${run}`, timeoutMs: 60_000 },
      );
      return messages;
    };
    // The relay publishes a moment after the append: scan once the erasure itself is on the topic.
    let messages: { key: string; value: string }[] = [];
    await eventually(
      async () => {
        messages = await published();
        return messages.some((message) => message.key === serviceNumber && message.value.includes('PersonalDataErased'));
      },
      { what: 'PersonalDataErased on the topic' },
    );
    expect(messages.filter((message) => message.value.includes(name))).toEqual([]);
  }, 60_000);

  it('is for a national administrator only, and refuses bad input naming the field', async () => {
    const scopedAdmin = service.token({ subject: 'admin-sindh', roles: ['ADMIN'], scope: { province: 'sindh' } });
    const refused = await api.post(`/people/${serviceNumber}-x/erasure`, scopedAdmin, { reasons: ['Asked for it'] }).expect(403);
    expect(refused.body.code).toBe('officer-record.national-admin-required');
    await api.post(`/people/${serviceNumber}-x/erasure`, who.investigator, { reasons: ['Asked for it'] }).expect(403);
    const noReasons = await api.post(`/people/${serviceNumber}-x/erasure`, admin, {}).expect(400);
    expect((noReasons.body as Problem).errors.map((error) => error.field)).toContain('reasons');
    const unknownField = await api.post(`/people/${serviceNumber}-x/legal-holds`, admin, { reasons: ['A petition'], until: 'never' }).expect(400);
    expect((unknownField.body as Problem).errors.map((error) => error.field)).toContain('until');
    const badNumber = await api.post(`/people/${encodeURIComponent('bad\nnumber')}/erasure`, admin, { reasons: ['Asked for it'] }).expect(400);
    expect(badNumber.body.errors).toEqual([{ field: 'serviceNumber', reason: expect.any(String) }]);
    const badHold = await api.post(`/people/${serviceNumber}-x/legal-holds/not-a-uuid/release`, admin, { reasons: ['Done with'] }).expect(400);
    expect(badHold.body.errors).toEqual([expect.objectContaining({ field: 'holdId' })]);
    await api
      .post(`/people/${serviceNumber}-x/legal-holds/8d6f2b1e-4c3a-4e5f-9a7b-1c2d3e4f5a6b/release`, admin, { reasons: ['Done with'] })
      .expect(404);
  });

  it('keeps a key made for the officer named again after erasure: the erasure read again does not reach it', async () => {
    const again = `ERB-${run}`;
    const caseA = await closedCase(again, 'First Name');
    await eventually(async () => (await api.post(`/people/${again}/erasure`, admin, { reasons: ['Asked for it'] })).status === 200, {
      what: 'the erasure once the case is closed in the list',
    });
    const caseB = await reportCase(service, {
      ...report(),
      officer: { serviceNumber: again, name: 'Second Name', rank: 'Constable', unitId: 'ps-clifton' },
    });
    // The dangerous order: the new key is made, then the consumer reads the erasure (and must leave it).
    await eventually(
      async () =>
        (
          await service.db.query(`SELECT 1 FROM inbox WHERE consumer = 'early-intervention' AND type = 'PersonalDataErased' AND stream_id = $1`, [
            again,
          ])
        ).rowCount === 1,
      { what: 'the erasure read by the consumer that finishes erasures' },
    );
    expect((await api.get(`/cases/${caseA}`, who.investigator).expect(200)).body.file.report.officer.name).toBe('[erased]');
    expect((await api.get(`/cases/${caseB}`, who.investigator).expect(200)).body.file.report.officer.name).toBe('Second Name');
  }, 60_000);
  it('erases by the retention schedule the officers whose cases all closed long enough ago, keeps those on hold, and says so first in a dry run', async () => {
    const officerOf = (serviceNumber: string) => ({ serviceNumber, name: `Officer ${serviceNumber}`, rank: 'Constable', unitId: 'ps-clifton' });
    const [expired, held, open] = ['RTA', 'RTB', 'RTC'].map((prefix) => `${prefix}-${run}`) as [string, string, string];
    const expiredCase = await closedCase(expired, `Officer ${expired}`);
    await closedCase(held, `Officer ${held}`);
    const { holdId } = (await api.post(`/people/${held}/legal-holds`, admin, { reasons: ['An inquiry is pending'] }).expect(201)).body as {
      holdId: string;
    };
    await closedCase(open, `Officer ${open}`);
    const openCase = await reportCase(service, { ...report(), officer: officerOf(open) });
    await eventually(async () => ((await api.get(`/people/${open}`, admin)).body as { openCaseIds: string[] }).openCaseIds.includes(openCase), {
      what: 'the open case in the list',
    });
    await eventually(
      async () => ((await api.get(`/cases?officer=${held}`, who.investigator)).body as { items: { status: string }[] }).items[0]?.status === 'closed',
      {
        what: 'the closed cases in the list',
      },
    );

    const mine = (candidates: { serviceNumber: string }[]) =>
      candidates
        .map((candidate) => candidate.serviceNumber)
        .filter((id) => id.endsWith(run))
        .sort();
    // Ten years on (RETENTION_CLOSED_CASE_YEARS), and a day.
    const later = new Date(Date.now() + (10 * 365 + 4) * 86_400_000);
    jest.spyOn(service.app.get<{ now(): Date }>(CLOCK), 'now').mockReturnValue(later);
    try {
      const dry = (await api.post('/retention/runs', admin, { dryRun: true }).expect(200)).body as RetentionRun;
      expect(mine(dry.erased)).toEqual([expired]);
      expect(dry.held.filter((entry) => entry.serviceNumber === held)).toEqual([
        { serviceNumber: held, lastClosedAt: expect.any(String), holdIds: [holdId] },
      ]);
      expect((await api.get(`/cases/${expiredCase}`, who.investigator).expect(200)).body.file.report.officer.name).toBe(`Officer ${expired}`);

      const done = (await api.post('/retention/runs', admin, { dryRun: false }).expect(200)).body as RetentionRun;
      expect(mine(done.erased)).toEqual([expired]);
      expect((await api.get(`/cases/${expiredCase}`, who.investigator).expect(200)).body.file.report.officer.name).toBe('[erased]');
      const erasure = await service.db.query<{ data: { basis: string; erasedBy: string; reasons: string[] } }>(
        `SELECT data FROM events WHERE stream_id = $1 AND type = 'PersonalDataErased'`,
        [expired],
      );
      expect(erasure.rows).toEqual([{ data: expect.objectContaining({ basis: 'retention', erasedBy: 'system:retention' }) }]);
      expect(erasure.rows[0]!.data.reasons[0]).toMatch(
        /^Retention schedule: every case closed, the last on \d{4}-\d{2}-\d{2}, more than 10 years before/,
      );
      // Done once: a second run finds nothing more of theirs.
      expect(mine(((await api.post('/retention/runs', admin, { dryRun: false }).expect(200)).body as RetentionRun).erased)).toEqual([]);
      const scoped = service.token({ subject: 'admin-sindh', roles: ['ADMIN'], scope: { province: 'sindh' } });
      await api.post('/retention/runs', scoped, { dryRun: true }).expect(403);
      expect(((await api.post('/retention/runs', admin, {}).expect(400)).body as Problem).errors.map((error) => error.field)).toEqual(['dryRun']);
    } finally {
      jest.restoreAllMocks();
    }
  }, 60_000);
  it('deletes again, after the keystore was restored from a backup taken before an erasure, the keys of every recorded erasure', async () => {
    const restored = `RST-${run}`;
    const caseId = await closedCase(restored, 'Restored Name');
    const keystore = `${testInfrastructure().postgresUrl}/conduct_keys`;
    const backup = await withDatabaseClient(
      keystore,
      async (client) =>
        (await client.query<{ key_id: string; wrapped_key: Buffer }>(`SELECT key_id, wrapped_key FROM person_keys WHERE person = $1`, [restored]))
          .rows,
    );
    await api.post(`/people/${restored}/erasure`, admin, { reasons: ['The officer asked for erasure'] }).expect(200);
    // The backup comes back: the key with it.
    await withDatabaseClient(keystore, (client) =>
      client.query(`UPDATE person_keys SET wrapped_key = $2, erased_at = NULL WHERE key_id = $1`, [backup[0]!.key_id, backup[0]!.wrapped_key]),
    );
    const token = (
      await service.db.query<{ name: string }>(`SELECT data->'officer'->>'name' AS name FROM events WHERE stream_id = $1 AND stream_version = 1`, [
        caseId,
      ])
    ).rows[0]!.name;
    const pool = keystorePool(keystore, 1, () => undefined);
    const uncached = new PersonalDataKeys({ pool, masterKey: service.app.get(BaseServiceConfig).personalDataMasterKey, cacheMs: 0 });
    try {
      expect(await uncached.open(token)).toBe('Restored Name');
      const summary = await reapplyErasures(
        (sql) => service.db.query<{ service_number: string; recorded_at: Date }>(sql).then((result) => result.rows),
        uncached,
      );
      expect(summary.keysDeleted).toBe(1);
      expect(summary.erasures).toBeGreaterThanOrEqual(1);
      expect(await uncached.open(token)).toBe('[erased]');
    } finally {
      await pool.end();
    }
  });
  it('finishes an erasure the process recorded but did not carry out (it stopped in between): the consumer deletes the keys', async () => {
    const interrupted = `INT-${run}`;
    const keys = service.app.get(PersonalDataKeys);
    const token = await keys.seal(interrupted, 'Interrupted Name', { renew: true });
    expect(await keys.open(token)).toBe('Interrupted Name');
    // As the erasure command would have left it: the event appended, the keys not yet deleted.
    const erasedAt = new Date().toISOString();
    await service.app.get(EventStore).append(interrupted, OFFICER_STREAM_TYPE, 0, [
      {
        eventId: randomUUID(),
        type: 'PersonalDataErased',
        data: { serviceNumber: interrupted, reasons: ['The officer asked for erasure'], basis: 'request', erasedBy: 'admin-hq', erasedAt },
        metadata: { actor: { id: 'admin-hq', role: 'ADMIN' }, correlationId: randomUUID(), occurredAt: erasedAt },
      },
    ]);
    service.app.get(MessagingLifecycle).nudgeRelay();
    await eventually(async () => (await keys.open(token)) === '[erased]', { what: 'the key deleted by the consumer', timeoutMs: 20_000 });
  });
});
