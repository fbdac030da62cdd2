import { computeEventHash, GENESIS_HASH, HashedEventFields } from '@conduct/event-store';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka, rewriteEventsAsOwner } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { eventCount, http, officer, people, reportCase, violationReport } from './testing/case-fixtures';

interface Changed {
  caseId: string;
  status: string;
  stage: string;
  version: number;
  noticeId?: string;
  appealId?: string;
}
interface TrailEvent extends HashedEventFields {
  version: number;
  type: string;
  actor: { id: string; role: string };
  reasons?: string[];
  occurredAt: string;
  recordedAt: string;
  hash: string;
  prevHash: string;
}

describe('a case from report to closure over HTTP (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    api = http(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  it('walks report → notice → removal → finding → sanction → appeal → decision → close, each step with its ETag', async () => {
    const kafka = testKafka();
    const consumer = kafka.consumer({ groupId: `cases-it-${Date.now()}`, maxWaitTimeInMs: 50 });
    const published: { key: string; type: string; hash: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.cases, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: ({ message }) => {
        const value = JSON.parse(message.value!.toString()) as { type: string; hash: string };
        published.push({ key: message.key!.toString(), type: value.type, hash: value.hash });
        return Promise.resolve();
      },
    });
    await joined;
    try {
      const reported = await api.post('/cases', who.investigator, violationReport()).expect(201);
      const caseId = (reported.body as Changed).caseId;
      expect(reported.headers['location']).toBe(`/cases/${caseId}`);
      expect(reported.headers['etag']).toBe('"1"');

      const step = async (path: string, token: string, body: object, version: number, status = 200): Promise<Changed> => {
        const response = await api.post(`/cases/${caseId}${path}`, token, body, { 'If-Match': `"${version - 1}"` }).expect(status);
        expect(response.headers['etag']).toBe(`"${version}"`);
        return response.body as Changed;
      };
      await step('/investigator', who.authority, { investigatorId: 'ia-rashid' }, 2);
      const notice = await step('/takedown-notices', who.investigator, {}, 3, 201);
      expect(notice.noticeId).toMatch(/^[0-9a-f-]{36}$/);
      await step(`/takedown-notices/${notice.noticeId}/removal`, who.investigator, {}, 4);
      const finding = await step(
        '/findings',
        who.investigator,
        { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['The video shows the uniform'] },
        5,
        201,
      );
      expect(finding.stage).toBe('found');
      await step('/sanctions', who.authority, { sanction: 'censure', reasons: ['First breach'] }, 6, 201);
      const appeal = await step('/appeals', who.officerConcerned, { grounds: ['The video predates the policy letter'] }, 7, 201);
      expect(appeal.stage).toBe('under-appeal');
      const decided = await step(
        `/appeals/${appeal.appealId}/decision`,
        who.appellateAuthority,
        { outcome: 'dismissed', reasons: ['Reviewed the record'] },
        8,
      );
      expect(decided.stage).toBe('sanctioned');
      const closed = await step('/close', who.authority, { reasons: ['Sanction final'] }, 9);
      expect(closed).toEqual({ caseId, status: 'closed', stage: 'sanctioned', version: 9 });

      const current = await api.get(`/cases/${caseId}`, who.authority).expect(200);
      expect(current.headers['etag']).toBe('"9"');
      expect(current.body).toMatchObject({
        status: 'closed',
        version: 9,
        file: {
          report: { officer, policy: { clauses: ['SND-1'] } },
          investigatorId: 'ia-rashid',
          takedown: { noticeId: notice.noticeId, status: 'removed' },
        },
        outcome: { stage: 'sanctioned', sanction: { sanction: 'censure' }, appealed: ['sanction'] },
        closure: { closedBy: 'da-south', reasons: ['Sanction final'] },
      });

      // The trail lists every step in order with who took it and why.
      const trail = await api.get(`/cases/${caseId}/events`, who.authority).expect(200);
      expect(trail.headers['etag']).toBe('"9"');
      const events = (trail.body as { events: TrailEvent[] }).events;
      expect(events.map((e) => [e.version, e.type, e.actor.id])).toEqual([
        [1, 'ViolationReported', 'ia-rashid'],
        [2, 'InvestigatorAssigned', 'da-south'],
        [3, 'TakedownNoticeIssued', 'ia-rashid'],
        [4, 'ContentRemovalConfirmed', 'ia-rashid'],
        [5, 'FindingRecorded', 'ia-rashid'],
        [6, 'SanctionImposed', 'da-south'],
        [7, 'AppealFiled', 'imran.ali'], // the officer's login id; the appellant is their service number
        [8, 'AppealDecided', 'da-range'],
        [9, 'CaseClosed', 'da-south'],
      ]);
      expect(events[4]).toMatchObject({ actor: { role: 'IA_INVESTIGATOR' }, reasons: ['The video shows the uniform'] });
      expect(events[6]!.reasons).toEqual(['The video predates the policy letter']);
      expect(events[0]!.reasons).toBeUndefined();
      // Each answer carries what its hash covers: the chain recomputes from the HTTP answer alone.
      for (const [index, event] of events.entries()) {
        expect(event.prevHash).toBe(index === 0 ? GENESIS_HASH : events[index - 1]!.hash);
        expect(event).toMatchObject({ streamId: caseId, streamType: 'case', streamVersion: index + 1, schemaVersion: 1 });
        expect(computeEventHash(event.prevHash, event)).toBe(event.hash);
        expect(Date.parse(event.occurredAt)).not.toBeNaN();
      }

      // As of the moment the removal was recorded, the case was still under investigation.
      const asOf = await api.get(`/cases/${caseId}?asOf=${encodeURIComponent(events[3]!.recordedAt)}`, who.authority).expect(200);
      expect(asOf.headers['etag']).toBe('"4"');
      expect(asOf.body).toMatchObject({ status: 'open', version: 4, asOf: events[3]!.recordedAt, outcome: { stage: 'investigating' } });

      const verification = await api.get(`/cases/${caseId}/verification`, who.authority).expect(200);
      expect(verification.body).toEqual({ caseId, intact: true, eventsChecked: 9 });

      // The relay publishes every step on conduct.cases.v1, keyed by the case, with the stored hashes.
      await eventually(() => (published.filter((m) => m.key === caseId).length === 9 ? true : undefined), { what: 'nine case events on Kafka' });
      expect(published.filter((m) => m.key === caseId).map((m) => m.hash)).toEqual(events.map((e) => e.hash));
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);

  it('reopens a closed case for a fresh investigation; closed, it refused everything else', async () => {
    const caseId = await reportCase(service);
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api
      .post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'not-substantiated', reasons: ['The person is not the officer'] })
      .expect(201);
    await api.post(`/cases/${caseId}/close`, who.authority, { reasons: ['Cleared'] }).expect(200);
    const refused = await api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'Too late' }).expect(409);
    expect(refused.body.code).toBe('case.closed');
    const reopened = await api.post(`/cases/${caseId}/reopen`, who.authority, { reasons: ['New evidence'] }, { 'If-Match': '"4"' }).expect(200);
    expect(reopened.body).toEqual({ caseId, status: 'open', stage: 'investigating', version: 5 });
    const added = await api
      .post(`/cases/${caseId}/evidence`, who.investigator, {
        sha256: 'b'.repeat(64),
        capturedAt: new Date().toISOString(),
        archiveLocation: 's3://conduct-evidence/ev-2',
      })
      .expect(201);
    expect(added.headers['etag']).toBe('"6"');
    const { evidenceId } = added.body as { evidenceId: string };
    const current = await api.get(`/cases/${caseId}`, who.investigator).expect(200);
    expect(current.body.file.evidence).toEqual([expect.objectContaining({ sha256: 'a'.repeat(64) }), { evidenceId, sha256: 'b'.repeat(64) }]);
  });

  it('documents every case route in the OpenAPI document', async () => {
    const document = await api.get('/docs-json', who.investigator).expect(200);
    expect(Object.keys((document.body as { paths: object }).paths)).toEqual(
      expect.arrayContaining([
        '/cases',
        '/cases/{caseId}',
        '/cases/{caseId}/events',
        '/cases/{caseId}/verification',
        '/cases/{caseId}/takedown-notices/{noticeId}/removal',
        '/cases/{caseId}/appeals/{appealId}/decision',
        '/cases/{caseId}/reopen',
      ]),
    );
  });

  it('answers 400 for a malformed asOf, 404 for a case not yet reported at asOf', async () => {
    const caseId = await reportCase(service);
    const bad = await api.get(`/cases/${caseId}?asOf=yesterday`, who.investigator).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('asOf');
    await api.get(`/cases/${caseId}?asOf=2020-01-01T00:00:00Z`, who.investigator).expect(404);
  });

  it('says the chain is broken, and at which version, after one event row is edited', async () => {
    const caseId = await reportCase(service);
    await api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'Called the SHO' }).expect(201);
    await api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'The officer admits posting it' }).expect(201);
    await rewriteEventsAsOwner(
      service.db,
      `UPDATE events SET data = jsonb_set(data, '{text}', '"Nothing happened"') WHERE stream_id = $1 AND stream_version = 2`,
      [caseId],
    );
    const verification = await api.get(`/cases/${caseId}/verification`, who.investigator).expect(200);
    expect(verification.body).toEqual({ caseId, intact: false, eventsChecked: 2, brokenAt: { streamVersion: 2, reason: 'hash-mismatch' } });
  });

  it('hides a case outside the reader’s scope (404) but shows the officer concerned their own', async () => {
    const caseId = await reportCase(service);
    await api.get(`/cases/${caseId}`, who.punjabInvestigator).expect(404);
    await api.get(`/cases/${caseId}/events`, who.punjabInvestigator).expect(404);
    await api.get(`/cases/${caseId}/verification`, who.punjabInvestigator).expect(404);
    await api.get(`/cases/${caseId}`, who.otherOfficer).expect(404);
    await api.get(`/cases/${caseId}`, who.officerConcerned).expect(200);
    // Own is decided by the token's service_number, not by a login id that happens to equal it.
    const loginIdOnly = service.token({ subject: officer.serviceNumber, roles: ['OFFICER'], scope: { province: 'sindh', unit: 'ps-clifton' } });
    await api.get(`/cases/${caseId}`, loginIdOnly).expect(404);
    await api.get('/cases/00000000-0000-4000-8000-000000000000', who.investigator).expect(404);
    await api.get('/cases/not-a-uuid', who.investigator).expect(400);
  });

  it('gives the officer concerned the reduced view of their own case: no notes, evidence location or investigator ids, and says so', async () => {
    const caseId = await reportCase(service);
    await api.post(`/cases/${caseId}/investigator`, who.investigator, { investigatorId: 'ia-rashid' }).expect(200);
    await api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'The SHO confirms the uniform' }).expect(201);

    const own = (await api.get(`/cases/${caseId}`, who.officerConcerned).expect(200)).body as {
      file: { investigatorId: string | null; report: { evidence: { archiveLocation: string | null }; officer: { name: string } } };
      redacted: string[];
    };
    expect(own.file.investigatorId).toBeNull();
    expect(own.file.report.evidence.archiveLocation).toBeNull();
    expect(own.file.report.officer.name).toBe(officer.name); // their own name is no secret to them
    expect(own.redacted).toEqual(expect.arrayContaining(['file.investigatorId', 'file.report.evidence.archiveLocation', 'file.report.reportedBy']));

    const trail = (await api.get(`/cases/${caseId}/events`, who.officerConcerned).expect(200)).body as {
      events: { type: string; actor: { id: string | null }; data: Record<string, unknown> }[];
      redacted: string[];
    };
    const note = trail.events.find((event) => event.type === 'NoteAdded')!;
    expect(note.data['text']).toBeNull();
    expect(note.actor.id).toBeNull();
    expect(JSON.stringify(trail.events)).not.toContain('ia-rashid');
    expect(trail.redacted).toEqual(expect.arrayContaining(['[].data.text', '[].actor.id']));

    // Internal affairs sees it all, and the answer names nothing left out.
    const whole = (await api.get(`/cases/${caseId}/events`, who.investigator).expect(200)).body as {
      events: { type: string; data: Record<string, unknown> }[];
    };
    expect(whole.events.find((event) => event.type === 'NoteAdded')!.data['text']).toBe('The SHO confirms the uniform');
    expect(whole).not.toHaveProperty('redacted');
  });

  it('records every read of a case in the access log, which internal affairs queries for a case in its scope', async () => {
    const caseId = await reportCase(service);
    await api.get(`/cases/${caseId}`, who.investigator).expect(200);
    await api.get(`/cases/${caseId}/events`, who.authority).expect(200);
    await api.get(`/cases/${caseId}`, who.officerConcerned).expect(200);
    await api.get(`/cases/${caseId}`, who.punjabInvestigator).expect(404); // refused: disclosed nothing, not recorded
    await api.get(`/cases/${caseId}/verification`, who.investigator).expect(200); // a check, not a read of the file

    const log = (await api.get(`/access-log?caseId=${caseId}`, who.investigator).expect(200)).body as {
      total: number;
      items: { subject: string; action: string; roles: string[]; scope: object; resource: string; caseId: string }[];
    };
    expect(log.items.map(({ subject, action }) => [subject, action])).toEqual([
      ['imran.ali', 'case.read'],
      ['da-south', 'case.events'],
      ['ia-rashid', 'case.read'],
    ]);
    expect(log.items[2]).toMatchObject({
      caseId,
      roles: ['IA_INVESTIGATOR'],
      scope: { province: 'sindh', range: 'karachi' },
      resource: `/cases/${caseId}`,
    });

    // Only for a case in your scope, and (unless a national ADMIN) only case by case.
    await api.get(`/access-log?caseId=${caseId}`, who.punjabInvestigator).expect(404);
    const noCase = await api.get('/access-log', who.investigator).expect(422);
    expect(noCase.body).toMatchObject({ code: 'access-log.case-required', errors: [{ field: 'caseId' }] });
    await api.get(`/access-log?caseId=${caseId}`, who.authority).expect(403);
    const admin = service.token({ subject: 'admin', roles: ['ADMIN'], scope: {} });
    const all = (await api.get(`/access-log?subject=imran.ali&action=case.read`, admin).expect(200)).body as { items: { caseId: string }[] };
    expect(all.items.map((item) => item.caseId)).toContain(caseId);
  });

  it('answers a command on an out-of-scope case as one on no case (404, the same answer) and records nothing', async () => {
    const caseId = await reportCase(service);
    const before = await eventCount(service);
    const outOfScope = await api.post(`/cases/${caseId}/notes`, who.punjabInvestigator, { text: 'Not mine to write' }).expect(404);
    const noCase = await api.post('/cases/00000000-0000-4000-8000-000000000000/notes', who.punjabInvestigator, { text: 'Nobody' }).expect(404);
    expect({ code: outOfScope.body.code, title: outOfScope.body.title, detail: outOfScope.body.detail }).toEqual({
      code: noCase.body.code,
      title: noCase.body.title,
      detail: noCase.body.detail,
    });
    expect(outOfScope.body.code).toBe('case.not-found');
    expect(await eventCount(service)).toBe(before);
  });
});
