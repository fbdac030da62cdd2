import { caseDecider } from '@conduct/cases-domain';
import { EventStore } from '@conduct/event-store';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { CASE_SNAPSHOTS } from './case-stream';
import { http, people, reportCase } from './testing/case-fixtures';

/**
 * Case snapshots (CASE_SNAPSHOTS): a long case is folded from its latest snapshot, and the state
 * so found is the state a fold from the first event gives, now and "as of" any past moment.
 */
describe('case snapshots (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let store: EventStore;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    store = service.app.get(EventStore);
    who = people(service);
    api = http(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  const every = CASE_SNAPSHOTS.every;

  it(`stores one every ${every} events and folds from it, to the same state as a fold from the start`, async () => {
    const caseId = await reportCase(service);
    const note = (n: number) => api.post(`/cases/${caseId}/notes`, who.investigator, { text: `Note ${n}` }).expect(201);
    // Steps that change the state land on both sides of each snapshot, so a snapshot that lost any of them shows.
    for (let version = 2; version <= 2 * every + 10; version++) {
      if (version === every - 1) await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
      else if (version === every + 3) {
        const evidence = { sha256: 'b'.repeat(64), capturedAt: new Date().toISOString(), archiveLocation: 's3://conduct-evidence/ev-2' };
        await api.post(`/cases/${caseId}/evidence`, who.investigator, evidence).expect(201);
      } else if (version === 2 * every) await api.post(`/cases/${caseId}/takedown-notices`, who.investigator, {}).expect(201);
      else await note(version);
    }

    const stored = await service.db.query<{ stream_version: number }>('SELECT stream_version FROM snapshots WHERE stream_id = $1 ORDER BY 1', [
      caseId,
    ]);
    expect(stored.rows.map((row) => row.stream_version)).toEqual([every, 2 * every]);

    const fromSnapshot = await store.aggregate(caseId, caseDecider);
    const fromStart = await store.aggregate(caseId, caseDecider, { snapshots: false });
    expect(fromSnapshot).toMatchObject({ version: 2 * every + 10, snapshotVersion: 2 * every, eventsFolded: 10 });
    expect(fromStart).toMatchObject({ version: 2 * every + 10, eventsFolded: 2 * every + 10 });
    expect(fromSnapshot.state).toEqual(fromStart.state);
    expect(fromSnapshot.state).toMatchObject({ file: { investigatorId: 'ia-rashid', takedown: { status: 'pending' } } });
    expect((fromSnapshot.state as { file: { evidence: unknown[] } }).file.evidence).toHaveLength(2);

    // "As of" a moment between the two snapshots starts from the first.
    const [between] = await store.readStream(caseId, { fromVersion: every + 5, toVersion: every + 5 });
    const asOf = await store.aggregate(caseId, caseDecider, { asOf: between!.recordedAt });
    const asOfFromStart = await store.aggregate(caseId, caseDecider, { asOf: between!.recordedAt, snapshots: false });
    expect(asOf).toMatchObject({ version: every + 5, snapshotVersion: every, eventsFolded: 5 });
    expect(asOf.state).toEqual(asOfFromStart.state);

    // And the API answers what the fold gives.
    const read = await api.get(`/cases/${caseId}?asOf=${encodeURIComponent(between!.recordedAt)}`, who.investigator).expect(200);
    expect(read.body).toMatchObject({ version: every + 5, file: { investigatorId: 'ia-rashid' } });
    expect((read.body as { file: { evidence: unknown[] } }).file.evidence).toHaveLength(2);
  }, 60_000);
});
