import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash, randomUUID } from 'node:crypto';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { Producer } from 'kafkajs';
import request from 'supertest';
import { verifyDossier } from '@conduct/dossier';
import { merkleRoot, streamHeadLeaf, type AnchoredHead, type PreparedAnchor } from '@conduct/event-store';
import { ANCHORS_TOPIC, publishAnchor, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, pdfText, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { caseTimelineScenario } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';

jest.setTimeout(240_000);
const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..', '..');

/*
 * The case dossier (dossier issue, points 1 and 2): a decided case and its takedown notice, as
 * published on the topics, come out of reporting-service as one signed zip that the offline
 * verifier finds intact, and tampered once one byte of it changes; once anchors of the stores
 * holding them come on conduct.anchors.v1, with the proof that each head is in the latest.
 */
describe('GET /cases/:caseId/dossier', () => {
  const scenario = caseTimelineScenario();
  let service: TestService;
  let producer: Producer;
  const dir = mkdtempSync(join(tmpdir(), 'conduct-dossier-'));

  beforeAll(async () => {
    service = await startTestService(AppModule, `${SERVICE_NAME}-dossier`);
    producer = testKafka('reporting-dossier').producer();
    await producer.connect();
    await publish(producer, Topics.cases, scenario.caseEnvelopes);
    await publish(producer, Topics.notifications, scenario.noticeEnvelopes);
    // The case and its notice come on two topics, taken in by their own partitions: wait for both.
    const published = scenario.caseEnvelopes.length + scenario.noticeEnvelopes.length;
    await eventually(
      async () => {
        const timeline = await get(`/cases/${scenario.caseId}/timeline`, investigator());
        return timeline.status === 200 && (timeline.body as { events: unknown[] }).events.length === published;
      },
      { timeoutMs: 180_000, what: 'the case and its notice in the timeline read model' },
    );
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  const investigator = (scope: Record<string, string> = { province: 'sindh' }) =>
    service.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope });
  const get = (path: string, token?: string) => {
    const call = request(service.app.getHttpServer()).get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };
  const download = async (token = investigator(), path = `/cases/${scenario.caseId}/dossier`, type = 'application/zip'): Promise<Buffer> =>
    (
      await get(path, token)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
        .expect('Content-Type', type)
    ).body as Buffer;
  const verify = async (file: string, ...args: string[]) =>
    run(process.execPath, ['libs/dossier/bin/conduct-verify.js', file, ...args], { cwd: repoRoot }).then(
      ({ stdout }) => ({ status: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ status: error.code, stdout: error.stdout }),
    );

  it('holds the case and its notice exactly as published, signed by the key /.well-known/conduct-keys names', async () => {
    const zip = await download();
    const keys = await get('/.well-known/conduct-keys').expect(200);
    const [key] = (keys.body as { keys: { keyId: string; publicKeyPem: string }[] }).keys;

    const verification = verifyDossier(zip);
    expect(verification).toMatchObject({ intact: true, caseId: scenario.caseId, keyId: key!.keyId, streams: 2, problems: [] });
    expect(verification.events).toBe(scenario.caseEnvelopes.length + scenario.noticeEnvelopes.length);
    const files = unzipSync(zip);
    const caseFile = Object.keys(files).find((path) => path.startsWith('streams/case/'))!;
    const published = scenario.caseEnvelopes.map(
      ({ eventId, streamId, streamType, streamVersion, type, schemaVersion, data, metadata, prevHash, hash }) => ({
        eventId,
        streamId,
        streamType,
        streamVersion,
        type,
        schemaVersion,
        data,
        metadata,
        prevHash,
        hash,
      }),
    );
    expect(JSON.parse(strFromU8(files[caseFile]!))).toEqual(published);
    expect(JSON.parse(strFromU8(files['policy/sindh-v2.json']!))).toMatchObject({ packId: 'sindh', version: 2 });

    // Offline, with the published key pinned: intact; one byte of the case's file changed: tampered, at that event.
    const good = join(dir, 'dossier.zip');
    const pem = join(dir, 'conduct.pem');
    writeFileSync(good, zip);
    writeFileSync(pem, key!.publicKeyPem);
    const intact = await verify(good, '--key', pem);
    expect(intact).toEqual({ status: 0, stdout: expect.stringMatching(/^intact: case /) });

    const text = strFromU8(files[caseFile]!);
    const at = text.indexOf('Filmed in uniform');
    const bad = join(dir, 'tampered.zip');
    writeFileSync(bad, zipSync({ ...files, [caseFile]: new TextEncoder().encode(`${text.slice(0, at)}X${text.slice(at + 1)}`) }));
    const tampered = await verify(bad);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(new RegExp(`^tampered: stream ${scenario.caseId}, version \\d+ \\(event [0-9a-f-]+\\): hash-mismatch`));
  });

  it('renders for a board as a PDF that names the SHA-256 of the very zip it renders', async () => {
    const zip = await download();
    const pdf = await download(investigator(), `/cases/${scenario.caseId}/dossier.pdf`, 'application/pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(createHash('sha256').update(zip).digest('hex'));
    expect(text).toContain(scenario.caseEnvelopes[scenario.caseEnvelopes.length - 1]!.hash);
    expect(text).toContain('FindingRecorded');
  });

  it('is refused outside the caller scope (404), to analysts (403), and to the officer the case is about (403)', async () => {
    await get(`/cases/${scenario.caseId}/dossier`, investigator({ province: 'punjab' })).expect(404);
    await get(`/cases/${scenario.caseId}/dossier`, service.token({ subject: 'hq', roles: ['HQ_ANALYST'], scope: {} })).expect(403);
    const officer = service.token({ subject: 'ia-imran', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' }, serviceNumber: 'KHI-40172' });
    await get(`/cases/${scenario.caseId}/dossier`, officer).expect(403);
  });

  it('records who took the dossier in the access log', async () => {
    await download(service.token({ subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh' } }));
    const log = await get(`/access-log?caseId=${scenario.caseId}&action=case.dossier`, investigator()).expect(200);
    expect((log.body as { items: { subject: string }[] }).items.map((item) => item.subject)).toContain('da-south');
  });

  it("proves each stream's head against the latest anchor of its store that reporting-service holds every head of", async () => {
    const kafka = testKafka('reporting-dossier-anchors');
    const caseHeads = scenario.caseEnvelopes;
    const notice = scenario.noticeEnvelopes[scenario.noticeEnvelopes.length - 1]!;
    const head = (envelope: { streamId: string; streamVersion: number; hash: string }): AnchoredHead => [
      envelope.streamId,
      envelope.streamVersion,
      envelope.hash,
    ];
    const other = (id: string, version: number): AnchoredHead => [id, version, createHash('sha256').update(`${id}/${version}`).digest('hex')];
    /** Publishes an anchor of `all` heads (in stream id order) sending `sent`, as a service's ChainAnchoring would. */
    const anchorOf = async (service: string, store: string, all: AnchoredHead[], sent: AnchoredHead[], full: boolean, root?: string) => {
      const sorted = [...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const anchoredAt = new Date().toISOString();
      const prepared: PreparedAnchor = {
        anchor: {
          service,
          store,
          anchoredAt,
          snapshot: '1:1:',
          streams: sorted.length,
          events: sorted.reduce((sum, [, version]) => sum + version, 0),
          root: root ?? merkleRoot(sorted.map(([streamId, streamVersion, hash]) => streamHeadLeaf({ streamId, streamVersion, hash }))),
          heads: { full, changed: sent.length, parts: 1 },
        },
        parts: [{ kind: 'anchor-heads', service, store, anchoredAt, part: 1, parts: 1, full, heads: sent }],
      };
      await publishAnchor(kafka, prepared);
      return prepared.anchor;
    };
    const dossierAnchors = async () => verifyDossier(await download());

    // violation-service's store: the case's head one event back (the anchor came before the last), among others.
    const violationStore = randomUUID();
    const before = [head(caseHeads[caseHeads.length - 2]!), other('0-first', 3), other('z-last', 1)];
    const first = await anchorOf('violation-service', violationStore, before, before, true);
    await eventually(async () => (await dossierAnchors()).anchoredStreams === 1, { timeoutMs: 60_000, what: 'the first anchor held' });
    expect(await dossierAnchors()).toMatchObject({
      intact: true,
      anchored: [
        {
          streamId: scenario.caseId,
          headVersion: caseHeads.length,
          anchoredVersion: caseHeads.length - 1,
          service: 'violation-service',
          root: first.root,
        },
      ],
      problems: [],
    });

    // The next anchor sends what changed: the case's head now, and a new stream. The notice's store anchors too.
    // Poison on the same key first: a head the database cannot hold, an anchor that would wipe the heads: passed over.
    const poison = testKafka('reporting-dossier-poison').producer();
    await poison.connect();
    await poison.send({
      topic: ANCHORS_TOPIC,
      messages: [
        { key: 'violation-service', value: 'not json' },
        {
          key: 'violation-service',
          value: JSON.stringify({
            kind: 'anchor-heads',
            service: 'violation-service',
            store: violationStore,
            anchoredAt: new Date().toISOString(),
            part: 1,
            parts: 1,
            full: true,
            heads: [['a\u0000b', 1, 'a'.repeat(64)]],
          }),
        },
        {
          key: 'violation-service',
          value: JSON.stringify({ ...first, anchoredAt: new Date().toISOString(), heads: { full: true, changed: 0, parts: 0 } }),
        },
        { key: 'approval-service', value: JSON.stringify({ ...first, anchoredAt: new Date().toISOString() }) },
      ],
    });
    await poison.disconnect();
    const now = [head(caseHeads[caseHeads.length - 1]!), other('0-first', 3), other('z-last', 1), other('m-new', 1)];
    const second = await anchorOf('violation-service', violationStore, now, [now[0]!, now[3]!], false);
    const notices = await anchorOf(
      'notification-service',
      randomUUID(),
      [head(notice), other('n-other', 2)],
      [head(notice), other('n-other', 2)],
      true,
    );
    await eventually(
      async () => (await dossierAnchors()).anchoredStreams === 2 && (await dossierAnchors()).anchored.some((head) => head.root === second.root),
      {
        timeoutMs: 60_000,
        what: 'the second anchor and the notices anchor held',
      },
    );
    const zip = await download();
    const manifest = JSON.parse(strFromU8(unzipSync(zip)['manifest.json']!)) as {
      streams: { streamId: string; anchored?: { streamVersion: number; leafIndex: number } }[];
    };
    expect(manifest.streams.map((stream) => [stream.streamId, stream.anchored?.streamVersion, stream.anchored?.leafIndex])).toEqual([
      // Leaves go in stream id order (bytes): the case's place among the four.
      [
        scenario.caseId,
        caseHeads.length,
        now
          .map(([streamId]) => streamId)
          .sort()
          .indexOf(scenario.caseId),
      ],
      [notice.streamId, notice.streamVersion, expect.any(Number)],
    ]);
    const file = join(dir, 'anchored.zip');
    writeFileSync(file, zip);
    const intact = await verify(file);
    expect(intact.status).toBe(0);
    expect(intact.stdout.split('\n')).toEqual([
      expect.stringMatching(/^intact: case .*, 2 heads anchored, signed by key /),
      `  ${scenario.caseId}: version ${caseHeads.length} of ${caseHeads.length} in the anchor of violation-service at ${second.anchoredAt}, root ${second.root}`,
      `  ${notice.streamId}: version ${notice.streamVersion} of ${notice.streamVersion} in the anchor of notification-service at ${notices.anchoredAt}, root ${notices.root}`,
      '',
    ]);

    // An anchor whose root the heads held do not give (it left a changed head out): dossiers keep the last that matched.
    await anchorOf('violation-service', violationStore, [...now, other('q-left-out', 1)], [], false);
    // A later anchor on the same key (another store's) is applied after it: once that one is held, so was the other read.
    const markerStore = randomUUID();
    await anchorOf('violation-service', markerStore, [other('marker', 1)], [other('marker', 1)], true);
    await eventually(async () => (await service.db.query(`SELECT 1 FROM held_anchors WHERE store = $1`, [markerStore])).rowCount === 1, {
      timeoutMs: 60_000,
      what: 'the anchors after the unmatched one applied',
    });
    expect((await dossierAnchors()).anchored.map((head) => head.root)).toEqual([second.root, notices.root]);

    // A restart resumes where the database says it stands: the same proofs, and later anchors still apply.
    const applied = await service.db.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM anchor_positions`);
    await service.restart();
    expect((await dossierAnchors()).anchored.map((head) => head.root)).toEqual([second.root, notices.root]);
    const third = await anchorOf('violation-service', violationStore, now, [], false);
    await eventually(async () => (await dossierAnchors()).anchored.some((head) => head.root === third.root && head.anchoredAt === third.anchoredAt), {
      timeoutMs: 60_000,
      what: 'an anchor after the restart held',
    });
    const after = await service.db.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM anchor_positions`);
    for (const { partition, next_offset } of applied.rows)
      expect(BigInt(after.rows.find((row) => row.partition === partition)!.next_offset)).toBeGreaterThanOrEqual(BigInt(next_offset));

    // A database that lost what it had read (restored, or new) reads the topic again from where its tables stand, not where the group is.
    await service.db.query(`TRUNCATE anchor_positions, anchor_heads, anchor_head_parts, held_anchors`);
    await service.restart();
    // Read again up to where it stood: two roots alone could still be an earlier anchor of the store, the third not yet read.
    const readAgain = async () => {
      const { rows } = await service.db.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM anchor_positions`);
      return after.rows.every(({ partition, next_offset }) => {
        const position = rows.find((row) => row.partition === partition);
        return position !== undefined && BigInt(position.next_offset) >= BigInt(next_offset);
      });
    };
    await eventually(readAgain, {
      timeoutMs: 60_000,
      what: 'the anchors topic read again, to where it stood, after the database lost what it had read',
    });
    expect((await dossierAnchors()).anchored.map((head) => head.root)).toEqual([third.root, notices.root]);
  });
});
