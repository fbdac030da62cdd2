import { createHash, randomBytes } from 'node:crypto';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';

/**
 * Headquarters' view of a realistic week across three provinces, built only through the other
 * services' HTTP APIs: Sindh's pre-approvals and two cases (one taken down in time and sanctioned),
 * a Punjab on-duty case whose takedown deadline passes, a Khyber Pakhtunkhwa case taken down late.
 * reporting-service learns all of it from Kafka; the figures read back are the ones the scenario
 * implies. Ranges, districts and units carry a run id: the topics are shared with earlier tests.
 */
describe('headquarters reports over a multi-province scenario', () => {
  let system: RunningSystem;
  const run = randomBytes(3).toString('hex');
  const day = 86_400_000;
  const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
  const sindh = { province: 'sindh', range: `karachi-${run}`, district: `karachi-south-${run}` };
  const punjab = { province: 'punjab', range: `lahore-${run}`, district: `lahore-ops-${run}` };
  const kp = { province: 'khyber-pakhtunkhwa', range: `peshawar-${run}`, district: `peshawar-city-${run}` };

  beforeAll(async () => {
    system = await startSystem({ env: { TAKEDOWN_WATCH_INTERVAL_MS: '200' } });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  type Reply = { status: number; body: Record<string, unknown> };
  const post = async (service: 'approval-service' | 'violation-service', path: string, token: string, body: object): Promise<Reply> => {
    const response = await fetch(`${system.url(service)}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const reply = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    if (reply.status >= 300) throw new Error(`POST ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply;
  };
  const report = async (path: string, scope: Record<string, string> = {}): Promise<Record<string, unknown>> => {
    const token = system.token({ subject: 'hq-analyst', roles: ['HQ_ANALYST'], scope });
    const response = await fetch(`${system.url('reporting-service')}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  /** Reports a case in `place` and assigns its investigator, whose scope is the place's district. */
  const reportCase = async (
    place: typeof sindh,
    unitId: string,
    officer: string,
    clause: string,
    conduct: { kinds: string[]; features: string[] },
    onDuty: boolean,
  ): Promise<{ caseId: string; investigator: string }> => {
    const investigator = system.token({ subject: `ia-${place.province}`, roles: ['IA_INVESTIGATOR'], scope: place });
    // The unit was registered a moment ago at approval-service: violation-service learns it from the topic.
    const reported = await eventually(
      () =>
        post('violation-service', '/cases', investigator, {
          officer: { serviceNumber: `${officer}-${run}`, name: `Officer ${officer}`, rank: 'Constable', unitId },
          jurisdiction: { ...place, unitId },
          platform: 'tiktok',
          contentUrl: `https://www.tiktok.com/@${officer}-${run}/video/1`,
          conduct: { ...conduct, usedOfficialAccount: false, platformPermitted: false },
          evidence: {
            sha256: createHash('sha256').update(`${officer}-${run}`).digest('hex'),
            capturedAt: ago(12),
            archiveLocation: `s3://evidence/${officer}-${run}`,
          },
          clauses: [clause],
          observedAt: ago(13),
          becameKnownAt: ago(12),
          onDuty,
          description: `Case against ${officer}`,
        }).catch((error: Error) => {
          if (error.message.includes('jurisdiction.unknown-unit')) return undefined;
          throw error;
        }),
      { timeoutMs: 30_000, what: `violation-service to know unit ${unitId}` },
    );
    const caseId = reported.body['caseId'] as string;
    await post('violation-service', `/cases/${caseId}/investigator`, investigator, { investigatorId: `ia-${place.province}` });
    return { caseId, investigator };
  };

  it('shows each province its cases, takedown compliance, approvals and sanctions', async () => {
    // This run's units join the hierarchy registry first: requests must name a registered unit.
    const admin = system.token({ subject: 'admin-hq', roles: ['ADMIN'], scope: {} });
    const units: [string, typeof sindh][] = [
      [`ssp-office-${run}`, sindh],
      [`ps-clifton-${run}`, sindh],
      [`ps-saddar-${run}`, sindh],
      [`ps-model-town-${run}`, punjab],
      [`ps-gulbahar-${run}`, kp],
    ];
    for (const [unitId, place] of units) await post('approval-service', '/units', admin, { unitId, name: `Unit ${unitId}`, ...place });
    // Sindh: two approval requests at the SSP's media cell, one granted and published, one rejected.
    const media = system.token({ subject: 'media-south', roles: ['MEDIA_TEAM'], scope: sindh });
    const officer = system.token({ subject: 'officer-17', roles: ['OFFICER'], scope: { ...sindh, unit: `ps-clifton-${run}` } });
    const ssp = system.token({ subject: 'ssp-south', roles: ['APPROVER'], scope: sindh });
    const account = await post('approval-service', '/official-accounts', media, {
      platform: 'facebook',
      handle: `@SSPSouth${run}`,
      kind: 'institutional',
      operatedBy: 'SSP',
      jurisdiction: { ...sindh, unitId: `ssp-office-${run}` },
      mediaTeam: { name: 'SSP South media cell', unitId: `media-${run}` },
    });
    const officialAccountId = account.body['accountId'] as string;
    const mediaSha256 = createHash('sha256').update(run).digest('hex');
    const request = (title: string) =>
      post('approval-service', '/approvals', officer, {
        jurisdiction: { ...sindh, unitId: `ps-clifton-${run}` },
        platform: 'facebook',
        officialAccountId,
        title,
        description: 'Traffic police explain helmet rules',
        mediaSha256,
        features: ['uniform', 'vehicle'],
        intendedPublicationAt: '2030-01-01T09:00:00Z',
      });
    const granted = (await request('Road safety week')).body['approvalId'] as string;
    const rejected = (await request('Patrol car stunt')).body['approvalId'] as string;
    await post('approval-service', `/approvals/${granted}/grant`, ssp, { validFrom: '2029-12-01T00:00:00Z', validUntil: '2030-02-01T00:00:00Z' });
    await post('approval-service', `/approvals/${rejected}/reject`, ssp, { reasons: ['Shows a stunt in a police vehicle'] });
    await post('approval-service', `/approvals/${granted}/publications`, media, {
      url: `https://facebook.com/SSPSouth${run}/videos/1`,
      officialAccountId,
      mediaSha256,
      publishedAt: '2030-01-01T09:00:00Z',
    });

    // Sindh case A: video in uniform, taken down in time, substantiated, censured.
    const video = { kinds: ['video'], features: ['uniform'] };
    const caseA = await reportCase(sindh, `ps-clifton-${run}`, 'khi-a', 'SND-1', video, true);
    const authority = system.token({ subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: sindh });
    const noticeA = await post('violation-service', `/cases/${caseA.caseId}/takedown-notices`, caseA.investigator, { servedAt: ago(2) });
    await post('violation-service', `/cases/${caseA.caseId}/takedown-notices/${noticeA.body['noticeId'] as string}/removal`, caseA.investigator, {});
    await post('violation-service', `/cases/${caseA.caseId}/findings`, caseA.investigator, {
      outcome: 'substantiated',
      clauses: ['SND-1'],
      reasons: ['The video shows the uniform'],
    });
    await post('violation-service', `/cases/${caseA.caseId}/sanctions`, authority, { sanction: 'censure', reasons: ['First offence'] });
    // Sindh case B: political views in a post, still under investigation.
    await reportCase(sindh, `ps-saddar-${run}`, 'khi-b', 'SND-4', { kinds: ['post'], features: [] }, false);
    // Punjab: on duty, served ten days ago and never removed: the watcher records the deadline missed.
    const caseC = await reportCase(punjab, `ps-model-town-${run}`, 'lhr-c', 'PB-1', video, true);
    await post('violation-service', `/cases/${caseC.caseId}/takedown-notices`, caseC.investigator, { servedAt: ago(10) });
    // Khyber Pakhtunkhwa: any use is banned; served ten days ago, removed only today (late).
    const caseD = await reportCase(kp, `ps-gulbahar-${run}`, 'psh-d', 'KP-1', { kinds: ['image'], features: [] }, false);
    const noticeD = await post('violation-service', `/cases/${caseD.caseId}/takedown-notices`, caseD.investigator, { servedAt: ago(10) });
    await post('violation-service', `/cases/${caseD.caseId}/takedown-notices/${noticeD.body['noticeId'] as string}/removal`, caseD.investigator, {});

    // Everything has reached reporting once the last event of each province shows.
    const sindhCases = await eventually(
      async () => {
        const figures = await report(`/reports/cases?range=${sindh.range}`);
        if (figures['opened'] === 2 && JSON.stringify(figures['openedByStatus']).includes('sanctioned')) return figures;
        throw new Error(`the report shows ${JSON.stringify(figures)}`);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the Sindh cases in the cases report' },
    );
    expect(sindhCases['byClause']).toEqual([
      { clause: 'SND-1', opened: 1, closed: 0 },
      { clause: 'SND-4', opened: 1, closed: 0 },
    ]);
    expect(sindhCases['openedByStatus']).toEqual([
      { status: 'investigating', cases: 1 },
      { status: 'sanctioned', cases: 1 },
    ]);
    await eventually(async () => (await report(`/reports/takedowns?range=${punjab.range}`))['overdueNow'] === 1, {
      timeoutMs: 30_000,
      what: 'the Punjab notice overdue',
    });
    await eventually(async () => (await report(`/reports/takedowns?range=${kp.range}`))['removedLate'] === 1, {
      timeoutMs: 30_000,
      what: 'the KP notice removed late',
    });

    expect(await report(`/reports/takedowns?range=${sindh.range}`)).toMatchObject({
      served: 1,
      removedWithinDeadline: 1,
      removedLate: 0,
      overdueNow: 0,
      complianceRate: 1,
    });
    expect(await report(`/reports/takedowns?range=${punjab.range}`)).toMatchObject({
      served: 1,
      removedWithinDeadline: 0,
      overdueNow: 1,
      complianceRate: 0,
    });
    expect(await report(`/reports/takedowns?range=${kp.range}`)).toMatchObject({ served: 1, removedLate: 1, overdueNow: 0, complianceRate: 0 });
    expect(await report(`/reports/cases?range=${punjab.range}`)).toMatchObject({ opened: 1, byClause: [{ clause: 'PB-1', opened: 1, closed: 0 }] });
    expect(await report(`/reports/cases?range=${kp.range}`)).toMatchObject({ opened: 1, byClause: [{ clause: 'KP-1', opened: 1, closed: 0 }] });

    const approvals = await eventually(
      async () => {
        const figures = await report(`/reports/approvals/summary?range=${sindh.range}`);
        return figures['published'] === 1 ? figures : undefined;
      },
      { timeoutMs: 30_000, what: 'the published approval in the approvals summary' },
    );
    expect(approvals).toMatchObject({ requested: 2, decided: 2, granted: 1, rejected: 1, grantRate: 0.5 });
    expect(await report(`/reports/sanctions?range=${sindh.range}`)).toMatchObject({
      imposed: 1,
      byType: [expect.objectContaining({ sanction: 'censure', imposed: 1 })],
    });

    // Scope comes first: a Sindh analyst asking for Punjab's range sees nothing of it.
    expect(await report(`/reports/cases?range=${punjab.range}`, { province: 'sindh' })).toMatchObject({ opened: 0 });
    expect(await report(`/reports/cases?range=${sindh.range}`, { province: 'sindh' })).toMatchObject({ opened: 2 });

    // The same figures as CSV, stamped with the topic positions they reflect.
    const hq = system.token({ subject: 'hq-analyst', roles: ['HQ_ANALYST'] });
    const csv = await fetch(`${system.url('reporting-service')}/reports/cases?range=${sindh.range}&format=csv`, {
      headers: { authorization: `Bearer ${hq}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toMatch(/^# positions: \{"conduct\.approvals\.v1":/m);
    expect(text).toContain('opened,,2');
  }, 120_000);
});
