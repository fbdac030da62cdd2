import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { computeEventHash, GENESIS_HASH, type ChainedEvent } from '@conduct/event-store';
import { ChainAnchoring } from '@conduct/event-sourcing';
import { publishedAnchors, publishedEvents, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, rewriteEventsAsOwner, testInfrastructure, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { http, people, reportCase } from './testing/case-fixtures';

jest.setTimeout(120_000);
const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');

/*
 * Anchored chain heads (dossier issue, point 5), as an operator meets them: violation-service
 * publishes the root of its stream heads on conduct.anchors.v1, and `npm run anchors -- verify`
 * catches a database administrator who rewrote a case with every later hash recomputed.
 */
describe('anchored chain heads of violation-service', () => {
  let service: TestService;
  let databaseUrl: string;

  beforeAll(async () => {
    service = await startTestService(AppModule, `${SERVICE_NAME}-anchors`);
    const { rows } = await service.db.query<{ database: string }>('SELECT current_database() AS database');
    databaseUrl = `${testInfrastructure().postgresUrl}/${rows[0]!.database}`;
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await service?.close();
  });

  /** `npm run anchors -- <command> violation-service` on this service's database: its exit status and last JSON line. */
  const anchors = async (command: string): Promise<{ status: number; result: Record<string, unknown>; stderr: string }> => {
    const outcome = await run(process.execPath, ['-r', '@swc-node/register', 'scripts/anchors.ts', command, SERVICE_NAME], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
    }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    const lines = outcome.stdout.trim().split('\n');
    return { status: outcome.status, result: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>, stderr: outcome.stderr };
  };

  it('publishes its anchor on conduct.anchors.v1, which the store verifies against until a case is rewritten', async () => {
    const caseId = await reportCase(service);
    await http(service).post(`/cases/${caseId}/notes`, people(service).investigator, { text: 'Called the SHO' }).expect(201);
    await http(service).post(`/cases/${caseId}/notes`, people(service).investigator, { text: 'The officer admits it' }).expect(201);

    const anchor = await service.app.get(ChainAnchoring).anchorNow();
    expect(anchor).toMatchObject({ service: SERVICE_NAME, streams: expect.any(Number), root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // What the topic holds for this service, heads and anchors (other tests may leave anything there).
    expect(await publishedAnchors(testKafka('anchors-spec'), SERVICE_NAME, { groupPrefix: 'anchors-spec' })).toContainEqual(anchor);

    const intact = await anchors('verify');
    expect(intact).toMatchObject({ status: 0, result: { intact: true, root: anchor.root, brokenStreams: [] } });

    // The relay has published the case's three events: Kafka keeps their hashes.
    await eventually(
      async () =>
        [...(await publishedEvents(testKafka('anchors-spec'), [Topics.cases])).values()].filter((event) => event.streamId === caseId).length === 3,
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        what: "the case's events on conduct.cases.v1",
      },
    );

    // An administrator rewrites the first note and recomputes the hashes after it: the case's own chain holds.
    await rewriteEventsAsOwner(
      service.db,
      `UPDATE events SET data = jsonb_set(data, '{text}', '"Nothing happened"') WHERE stream_id = $1 AND stream_version = 2`,
      [caseId],
    );
    const { rows } = await service.db.query<{ event_id: string } & Record<string, unknown>>(
      `SELECT event_id AS "eventId", stream_id AS "streamId", stream_type AS "streamType", stream_version AS "streamVersion", type,
              schema_version AS "schemaVersion", data, metadata, event_id
         FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [caseId],
    );
    let previous = GENESIS_HASH;
    for (const row of rows) {
      const hash = computeEventHash(previous, row as unknown as ChainedEvent);
      await rewriteEventsAsOwner(service.db, `UPDATE events SET prev_hash = $2, hash = $3 WHERE event_id = $1`, [row.event_id, previous, hash]);
      previous = hash;
    }
    const verification = await http(service).get(`/cases/${caseId}/verification`, people(service).investigator).expect(200);
    expect(verification.body).toMatchObject({ intact: true });

    // The anchor published before the rewrite catches it.
    const caught = await anchors('verify');
    expect(caught).toMatchObject({ status: 1, result: { intact: false, brokenStreams: [] } });
    expect(caught.result['root']).not.toBe(anchor.root);
    expect(caught.stderr).toContain('a stream was rewritten');
    // Kafka's copy names the events rewritten.
    expect(caught.result['rewritten']).toEqual([
      expect.objectContaining({ streamId: caseId, streamVersion: 2 }),
      expect.objectContaining({ streamId: caseId, streamVersion: 3 }),
    ]);
    expect(caught.stderr).toContain(`stream ${caseId} version 2`);

    // A new anchor commits to the store as it now stands; Kafka's copy still shows the rewrite.
    const republished = await anchors('publish');
    expect(republished).toMatchObject({ status: 0, result: { service: SERVICE_NAME, root: caught.result['root'] } });
    const afterReanchoring = await anchors('verify');
    expect(afterReanchoring).toMatchObject({ status: 1, result: { intact: false, root: caught.result['root'], brokenStreams: [] } });
    expect(afterReanchoring.result['rewritten']).toEqual(caught.result['rewritten']);
  });
});
