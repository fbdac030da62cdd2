import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { verifyDossier } from '@conduct/dossier';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { eventually, testInfrastructure } from '@conduct/testing';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');

/**
 * A disciplinary case end to end, as internal affairs works it: report, takedown notice, the
 * deadline missed and the case escalated by the service's own watcher, finding, sanction, appeal
 * and closure; then the trail and its hash chain. Four real service processes on real PostgreSQL
 * and Kafka, driven only over HTTP.
 */
describe('a case from report to closure', () => {
  let system: RunningSystem;
  const day = 86_400_000;
  const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
  const scope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };

  beforeAll(async () => {
    system = await startSystem({ env: { TAKEDOWN_WATCH_INTERVAL_MS: '200' } });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const call = async (method: 'GET' | 'POST', path: string, token: string, body?: object) => {
    const response = await fetch(`${system.url('violation-service')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('escalates a missed takedown deadline and carries the case through sanction and appeal to closure', async () => {
    const investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope });
    const authority = system.token({ subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope });
    const appellate = system.token({ subject: 'da-range', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', range: 'karachi' } });
    const officer = system.token({
      subject: 'imran.ali',
      serviceNumber: 'KHI-40172',
      roles: ['OFFICER'],
      scope: { province: 'sindh', unit: 'ps-clifton' },
    });

    const reported = await call('POST', '/cases', investigator, {
      officer: { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' },
      jurisdiction: { ...scope, unitId: 'ps-clifton' },
      platform: 'tiktok',
      contentUrl: 'https://www.tiktok.com/@imran.ali/video/1',
      conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
      evidence: { sha256: createHash('sha256').update('captured video').digest('hex'), capturedAt: ago(11), archiveLocation: 's3://evidence/1' },
      clauses: ['SND-1'],
      observedAt: ago(12),
      becameKnownAt: ago(11),
      onDuty: true,
      description: 'Video filmed in uniform at the Clifton police station',
    });
    expect(reported.status).toBe(201);
    const caseId = reported.body['caseId'] as string;
    expect((await call('POST', `/cases/${caseId}/investigator`, investigator, { investigatorId: 'ia-rashid' })).status).toBe(200);

    // Served ten days ago on paper: the seven-day period (SND-6) has run out, so the watcher acts.
    const notice = await call('POST', `/cases/${caseId}/takedown-notices`, investigator, { servedAt: ago(10) });
    expect(notice.status).toBe(201);
    const types = async () => ((await call('GET', `/cases/${caseId}/events`, investigator)).body['events'] as { type: string }[]).map((e) => e.type);
    await eventually(async () => (await types()).includes('CaseEscalated'), { timeoutMs: 20_000, what: 'the escalation of the missed deadline' });

    const steps: [string, string, object][] = [
      [`/cases/${caseId}/takedown-notices/${notice.body['noticeId'] as string}/removal`, investigator, {}],
      [
        `/cases/${caseId}/findings`,
        investigator,
        { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['The video shows the officer in uniform'] },
      ],
      [`/cases/${caseId}/sanctions`, authority, { sanction: 'censure', reasons: ['First offence'] }],
    ];
    for (const [path, token, body] of steps) expect((await call('POST', path, token, body)).status).toBeLessThan(300);
    const appeal = await call('POST', `/cases/${caseId}/appeals`, officer, { grounds: ['Recorded before the policy was issued'] });
    expect(appeal.status).toBe(201);
    expect(
      (
        await call('POST', `/cases/${caseId}/appeals/${appeal.body['appealId'] as string}/decision`, appellate, {
          outcome: 'dismissed',
          reasons: ['In force that day'],
        })
      ).status,
    ).toBe(200);
    expect((await call('POST', `/cases/${caseId}/close`, authority, { reasons: ['Sanction served'] })).status).toBe(200);

    expect(await types()).toEqual([
      'ViolationReported',
      'InvestigatorAssigned',
      'TakedownNoticeIssued',
      'TakedownDeadlineMissed',
      'CaseEscalated',
      'ContentRemovalConfirmed',
      'FindingRecorded',
      'SanctionImposed',
      'AppealFiled',
      'AppealDecided',
      'CaseClosed',
    ]);
    expect((await call('GET', `/cases/${caseId}/verification`, investigator)).body).toMatchObject({ intact: true, eventsChecked: 11 });
    expect((await call('GET', `/cases/${caseId}`, officer)).status).toBe(200);
    closedCase = caseId;
  }, 90_000);

  let closedCase: string | undefined;

  it("puts the case's head, as violation-service anchored it, in the dossier with its proof, which conduct-verify checks", async () => {
    expect(closedCase).toBeDefined();
    const caseId = closedCase!;
    // The services anchor every ANCHOR_INTERVAL_MS; an operator anchors now, as docs/security.md says.
    for (const service of ['violation-service', 'notification-service'] as const)
      await run(process.execPath, ['-r', '@swc-node/register', 'scripts/anchors.ts', 'publish', service], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: system.databaseUrl(service), KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
      });
    const investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope });
    const dossier = async (): Promise<Uint8Array> => {
      const response = await fetch(`${system.url('reporting-service')}/cases/${caseId}/dossier`, {
        headers: { authorization: `Bearer ${investigator}` },
      });
      return response.status === 200 ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
    };
    // reporting-service has the case's eleven events and has applied violation-service's anchor.
    let zip: Uint8Array = new Uint8Array();
    await eventually(
      async () => {
        zip = await dossier();
        if (zip.length === 0) return false;
        const manifest = JSON.parse(strFromU8(unzipSync(zip)['manifest.json']!)) as {
          streams: { streamId: string; anchored?: { streamVersion: number } }[];
        };
        return manifest.streams.find((stream) => stream.streamId === caseId)?.anchored?.streamVersion === 11;
      },
      { timeoutMs: 30_000, what: "the case's head at version 11 proved in the dossier" },
    );
    expect(verifyDossier(zip)).toMatchObject({
      intact: true,
      anchored: expect.arrayContaining([
        {
          streamId: caseId,
          headVersion: 11,
          anchoredVersion: 11,
          service: 'violation-service',
          anchoredAt: expect.any(String),
          root: expect.any(String),
        },
      ]),
    });
    const file = join(mkdtempSync(join(tmpdir(), 'conduct-e2e-dossier-')), 'dossier.zip');
    writeFileSync(file, zip);
    const { stdout } = await run(process.execPath, ['libs/dossier/bin/conduct-verify.js', file], { cwd: repoRoot });
    expect(stdout).toMatch(new RegExp(`^intact: case ${caseId}, \\d+ streams, \\d+ events, \\d+ heads? anchored, `));
    expect(stdout).toContain(`  ${caseId}: version 11 of 11 in the anchor of violation-service at `);

    // The anchor the dossier proves against is one violation-service published, root for root (docs/dossier.md).
    const anchored = verifyDossier(zip).anchored.find((head) => head.streamId === caseId)!;
    const listed = await run(process.execPath, ['-r', '@swc-node/register', 'scripts/anchors.ts', 'list', 'violation-service'], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
    });
    const published = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { anchoredAt: string; root: string });
    expect(published).toContainEqual(expect.objectContaining({ anchoredAt: anchored.anchoredAt, root: anchored.root }));
  }, 60_000);
});
