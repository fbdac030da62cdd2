import request from 'supertest';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { eventually } from '@conduct/testing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { ApprovalExpiryWatcher } from './expire-approvals/approval-expiry.watcher';
import { approvalRequest, mediaSha256, people, registerAccount } from './testing/approval-fixtures';

/** The approval workflow over HTTP against real PostgreSQL and Kafka. */
describe('approval lifecycle', () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let accountId: string;
  const http = () => request(service.app.getHttpServer());
  const eventTypes = async (approvalId: string) =>
    (await service.db.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [approvalId])).rows.map(
      (r) => r.type,
    );

  /** Ids of the approvals a list query returns. */
  const listed = async (query: string, token: string): Promise<string[]> =>
    (
      (await http().get(`/approvals?${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body as { items: { approvalId: string }[] }
    ).items.map((i) => i.approvalId);

  const requestApproval = async (): Promise<string> => {
    const response = await http().post('/approvals').set('Authorization', `Bearer ${who.officer}`).send(approvalRequest(accountId)).expect(201);
    return (response.body as { approvalId: string }).approvalId;
  };
  const grant = (approvalId: string, body: object = { validFrom: '2029-12-01T00:00:00Z', validUntil: '2030-02-01T00:00:00Z' }) =>
    http().post(`/approvals/${approvalId}/grant`).set('Authorization', `Bearer ${who.ssp}`).send(body);
  const publish = (approvalId: string, overrides: object = {}) =>
    http()
      .post(`/approvals/${approvalId}/publications`)
      .set('Authorization', `Bearer ${who.mediaTeam}`)
      .send({
        url: 'https://facebook.com/sspsouth/videos/1',
        officialAccountId: accountId,
        mediaSha256,
        publishedAt: '2030-01-01T09:00:00Z',
        ...overrides,
      });

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    accountId = await registerAccount(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => service?.close());

  it('records the policy pack version and clauses the request falls under', async () => {
    const approvalId = await requestApproval();
    const { rows } = await service.db.query<{ data: { policy: unknown } }>('SELECT data FROM events WHERE stream_id = $1', [approvalId]);
    expect(rows[0]!.data.policy).toMatchObject({ packId: 'sindh', clauses: expect.arrayContaining(['SND-1']) });
  });

  it('refuses a request through an unregistered account, citing SND-5, and records nothing', async () => {
    const response = await http()
      .post('/approvals')
      .set('Authorization', `Bearer ${who.officer}`)
      .send(approvalRequest('00000000-0000-4000-8000-000000000001'))
      .expect(422);
    expect(response.body).toMatchObject({ code: 'approval.account-not-active', clause: 'SND-5' });
  });

  it('walks request → grant → publication and shows it in the approver’s inbox until decided', async () => {
    const approvalId = await requestApproval();
    const inbox = () => listed('status=pending', who.ssp);
    await eventually(async () => (await inbox()).includes(approvalId), { what: 'the request in the SSP inbox' });
    const granted = await grant(approvalId).set('If-Match', '"1"').expect(200);
    expect(granted.body).toMatchObject({ status: 'granted', version: 2 });
    expect(granted.headers['etag']).toBe('"2"');
    await eventually(async () => !(await inbox()).includes(approvalId), { what: 'the request to leave the inbox' });

    const published = await publish(approvalId).expect(201);
    expect(published.body).toMatchObject({ status: 'published', version: 3 });
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested', 'ApprovalGranted', 'ContentPublished']);
  });

  it('lets an officer read their own requests only, an integration none, and the unit’s media team all of them', async () => {
    const approvalId = await requestApproval(); // by officer-17
    const colleague = service.token({
      subject: 'officer-18',
      roles: ['OFFICER'],
      scope: { province: 'sindh', range: 'karachi', district: 'karachi-south', unit: 'ps-clifton' },
    });
    await eventually(async () => (await listed('pageSize=500', who.mediaTeam)).includes(approvalId), { what: 'the request in the list' });
    expect(await listed('pageSize=500', who.officer)).toContain(approvalId);
    expect(await listed('pageSize=500', colleague)).not.toContain(approvalId); // not even without ?requester=me
    expect(await listed('requester=officer-17&pageSize=500', colleague)).not.toContain(approvalId);
    await http().get(`/approvals/${approvalId}`).set('Authorization', `Bearer ${who.officer}`).expect(200);
    await http().get(`/approvals/${approvalId}`).set('Authorization', `Bearer ${colleague}`).expect(404);
    await http().get(`/approvals/${approvalId}`).set('Authorization', `Bearer ${who.mediaTeam}`).expect(200);
    const integration = service.token({ subject: 'crm', roles: ['INTEGRATION'] });
    expect((await http().get('/approvals').set('Authorization', `Bearer ${integration}`).expect(403)).body.code).toBe('auth.role-required');
    await http().get(`/approvals/${approvalId}`).set('Authorization', `Bearer ${integration}`).expect(403);
  });

  it('answers 404 for a transition on an unknown approval and 400 for a malformed id, recording nothing', async () => {
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const response = await grant(unknown).expect(404);
    expect(response.body.code).toBe('approval.not-found');
    expect(await eventTypes(unknown)).toEqual([]);
    const malformed = await grant('not-an-id').expect(400);
    expect(malformed.body.errors[0].field).toBe('approvalId');
  });

  it('answers 400 naming the field for a malformed grant, and records nothing', async () => {
    const approvalId = await requestApproval();
    const response = await grant(approvalId, { validUntil: 'next week', extra: true }).expect(400);
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['extra', 'validUntil']);
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested']);
  });

  it('answers 412 for a stale If-Match and records nothing', async () => {
    const approvalId = await requestApproval();
    const response = await grant(approvalId).set('If-Match', '"7"').expect(412);
    expect(response.body.code).toBe('stream.stale-version');
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested']);
  });

  it('answers an authority outside the scope as if there were no request (404), and refuses the requester deciding their own request', async () => {
    const approvalId = await requestApproval();
    const outOfScope = await http()
      .post(`/approvals/${approvalId}/grant`)
      .set('Authorization', `Bearer ${who.sspEast}`)
      .send({ validUntil: '2030-02-01T00:00:00Z' })
      .expect(404);
    expect(outOfScope.body.code).toBe('approval.not-found');
    await http()
      .post(`/approvals/${approvalId}/grant`)
      .set('Authorization', `Bearer ${who.officer}`)
      .send({ validUntil: '2030-02-01T00:00:00Z' })
      .expect(403);
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested']);
  });

  it('records a refused publication (422, clause named) so headquarters can count attempts', async () => {
    const approvalId = await requestApproval();
    await grant(approvalId).expect(200);
    const refused = await publish(approvalId, { mediaSha256: 'f'.repeat(64) }).expect(422);
    expect(refused.body).toMatchObject({ code: 'publication.media-mismatch', clause: 'SND-1' });
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested', 'ApprovalGranted', 'PublicationRefused']);
  });

  it('lets the requester withdraw while pending, and an authority reject or revoke', async () => {
    const withdrawn = await requestApproval();
    await http().post(`/approvals/${withdrawn}/withdraw`).set('Authorization', `Bearer ${who.officer}`).send({ reason: 'Cancelled' }).expect(200);
    const rejected = await requestApproval();
    await http()
      .post(`/approvals/${rejected}/reject`)
      .set('Authorization', `Bearer ${who.ssp}`)
      .send({ reasons: ['Shows a minor'] })
      .expect(200);
    await http().post(`/approvals/${rejected}/reject`).set('Authorization', `Bearer ${who.ssp}`).send({ reasons: [] }).expect(400);
    const revoked = await requestApproval();
    await grant(revoked).expect(200);
    await http().post(`/approvals/${revoked}/revoke`).set('Authorization', `Bearer ${who.ssp}`).send({ reason: 'Sub judice' }).expect(200);
    expect(await eventTypes(revoked)).toEqual(['ApprovalRequested', 'ApprovalGranted', 'ApprovalRevoked']);
    const view = await http().get(`/approvals/${revoked}`).set('Authorization', `Bearer ${who.officer}`).expect(200);
    expect(view.body.status).toBe('revoked');
  });

  it('expires a granted approval once its window passes, and only once however often it scans', async () => {
    const approvalId = await requestApproval();
    await grant(approvalId, { validFrom: '2029-12-01T00:00:00Z', validUntil: '2030-01-15T00:00:00Z' }).expect(200);
    await eventually(async () => (await listed('status=granted', who.ssp)).includes(approvalId), { what: 'the grant in the approvals list' });
    const clock = service.app.get<Clock>(CLOCK);
    const watcher = service.app.get(ApprovalExpiryWatcher);
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2030-01-14T00:00:00Z'));
    expect(await watcher.runOnce()).toBe(0);
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2030-01-16T00:00:00Z'));
    expect(await watcher.runOnce()).toBeGreaterThanOrEqual(1);
    // Another scan (a restarted watcher finds the same due rows until the list catches up) changes nothing.
    await watcher.runOnce();
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested', 'ApprovalGranted', 'ApprovalExpired']);
    // The grant whose window passed caused the expiry.
    const { rows } = await service.db.query<{ event_id: string; metadata: { causationId?: string } }>(
      'SELECT event_id, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [approvalId],
    );
    expect(rows[2]!.metadata.causationId).toBe(rows[1]!.event_id);
    const refused = await publish(approvalId, { publishedAt: '2030-01-10T00:00:00Z' }).expect(422);
    expect(refused.body.code).toBe('publication.not-approved');
  });

  it('still expires an approval whose window passed while the service was down', async () => {
    const approvalId = await requestApproval();
    await grant(approvalId, { validFrom: '2029-12-01T00:00:00Z', validUntil: '2030-01-20T00:00:00Z' }).expect(200);
    await eventually(async () => (await listed('status=granted', who.ssp)).includes(approvalId), { what: 'the grant in the approvals list' });
    const app = await service.restart();
    jest.spyOn(app.get<Clock>(CLOCK), 'now').mockReturnValue(new Date('2030-01-21T00:00:00Z'));
    await app.get(ApprovalExpiryWatcher).runOnce();
    expect(await eventTypes(approvalId)).toEqual(['ApprovalRequested', 'ApprovalGranted', 'ApprovalExpired']);
  });
});
