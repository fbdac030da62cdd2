import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { officialAccountStreamId } from '@conduct/approvals-domain';
import { idempotentStreamId } from '@conduct/event-store';
import { eventually } from '@conduct/testing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { registerUnits } from '../testing/approval-fixtures';

describe('official-account registry (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  // Handles and units unique to this run: the topic keeps earlier runs' events, and the list
  // consumer reads it from the beginning.
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const unitId = `ssp-office-${run}`;
  const eastUnitId = `ssp-office-east-${run}`;
  const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
  const mediaTeam = () => service.token({ subject: 'media-south-1', roles: ['MEDIA_TEAM'], scope: karachiSouth });
  // A suspension is lifted by an approver other than the one who imposed it.
  const approver = () => service.token({ subject: 'ssp-south', roles: ['APPROVER'], scope: karachiSouth });
  const body = (overrides: Record<string, unknown> = {}) => ({
    platform: 'facebook',
    handle: `@SSP-South-${run}-${++sequence}`,
    url: 'https://facebook.com/ssp.south',
    kind: 'institutional',
    jurisdiction: { ...karachiSouth, unitId },
    mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
    operatedBy: 'SSP',
    ...overrides,
  });
  const http = () => request(service.app.getHttpServer());
  const register = (payload: object, headers: Record<string, string> = {}, token = mediaTeam()) =>
    http().post('/official-accounts').set('Authorization', `Bearer ${token}`).set(headers).send(payload);
  const transition = (
    accountId: string,
    action: 'suspend' | 'reinstate',
    payload: object,
    headers: Record<string, string> = {},
    token = action === 'reinstate' ? approver() : mediaTeam(),
  ) => http().post(`/official-accounts/${accountId}/${action}`).set('Authorization', `Bearer ${token}`).set(headers).send(payload);
  const get = (path: string, token = mediaTeam()) => http().get(path).set('Authorization', `Bearer ${token}`);
  const eventCount = async () => Number((await service.db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
  const streamEvents = async (streamId: string) =>
    (
      await service.db.query<{
        type: string;
        stream_type: string;
        stream_version: number;
        data: Record<string, unknown>;
        metadata: Record<string, unknown>;
      }>('SELECT type, stream_type, stream_version, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId])
    ).rows;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    await registerUnits(service, [
      { ...karachiSouth, unitId },
      { ...karachiSouth, district: 'karachi-east', unitId: eastUnitId },
    ]);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  describe('POST /official-accounts', () => {
    it('appends OfficialAccountRegistered under an id derived from platform and handle, answering 201 with Location and ETag', async () => {
      const payload = body();
      const response = await register(payload).expect(201);
      const accountId = officialAccountStreamId('facebook', payload.handle);
      expect(response.body).toEqual({ accountId, status: 'active', version: 1 });
      expect(response.headers['location']).toBe(`/official-accounts/${accountId}`);
      expect(response.headers['etag']).toBe('"1"');
      // The same formula as the event store's name-based ids.
      expect(accountId).toBe(idempotentStreamId('official-account', 'facebook', `ssp-south-${run}-${sequence}`));
      const [stored, ...more] = await streamEvents(accountId);
      expect(more).toEqual([]);
      expect(stored).toMatchObject({
        type: 'OfficialAccountRegistered',
        stream_type: 'official-account',
        stream_version: 1,
        data: {
          accountId,
          platform: 'facebook',
          handle: `ssp-south-${run}-${sequence}`,
          operatedBy: 'SSP',
          registeredBy: 'media-south-1',
          jurisdiction: { ...karachiSouth, unitId },
        },
        metadata: { actor: { id: 'media-south-1', role: 'MEDIA_TEAM' }, jurisdiction: { ...karachiSouth, unitId } },
      });
    });

    it('refuses the same platform and handle again, in any case or with a leading @ (409), and records nothing', async () => {
      const payload = body();
      await register(payload).expect(201);
      const before = await eventCount();
      const again = await register({ ...payload, handle: payload.handle.slice(1).toUpperCase(), platform: 'Facebook' }).expect(409);
      expect(again.body.code).toBe('official-account.already-registered');
      expect(await eventCount()).toBe(before);
    });

    it('gives the same answer and records one event for a repeated Idempotency-Key; another request under that key is 422', async () => {
      const payload = body();
      const before = await eventCount();
      const first = await register(payload, { 'Idempotency-Key': `reg-${run}` }).expect(201);
      const second = await register(payload, { 'Idempotency-Key': `reg-${run}` }).expect(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['location']).toBe(first.headers['location']);
      expect(await eventCount()).toBe(before + 1);
      const reused = await register({ ...payload, operatedBy: 'UNIT_HEAD' }, { 'Idempotency-Key': `reg-${run}` }).expect(422);
      expect(reused.body.code).toBe('idempotency.key-reused');
      // Without the key, or with another one, it is a second registration of the same account.
      expect((await register(payload, { 'Idempotency-Key': `other-${run}` }).expect(409)).body.code).toBe('official-account.already-registered');
      expect(await eventCount()).toBe(before + 1);
    });

    it('never registers a personal account as official (422 citing SND-5), and records nothing', async () => {
      const before = await eventCount();
      const response = await register(body({ kind: 'personal' })).expect(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'official-account.personal-account', clause: 'SND-5', errors: [{ field: 'kind' }] });
      expect(await eventCount()).toBe(before);
    });

    it('refuses a role that does not run official accounts (403)', async () => {
      const officer = service.token({ subject: 'officer-17', roles: ['OFFICER'], scope: karachiSouth });
      const response = await register(body(), {}, officer).expect(403);
      expect(response.body.code).toBe('auth.role-required');
    });

    it('refuses an owning unit outside the caller’s scope (403 citing SND-5), and records nothing', async () => {
      const before = await eventCount();
      const response = await register(
        body({ jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-east', unitId: eastUnitId } }),
      ).expect(403);
      expect(response.body).toMatchObject({ code: 'official-account.unit-out-of-scope', clause: 'SND-5' });
      expect(await eventCount()).toBe(before);
    });

    it('places the owning unit where the hierarchy registry has it: a claim of another district or an unknown unit is 422', async () => {
      const before = await eventCount();
      const elsewhere = await register(body({ jurisdiction: { ...karachiSouth, district: 'karachi-east', unitId } })).expect(422);
      expect(elsewhere.body).toMatchObject({ code: 'jurisdiction.disagrees-with-registry', errors: [{ field: 'jurisdiction.district' }] });
      const unknown = await register(body({ jurisdiction: { ...karachiSouth, unitId: `ssp-office-nowhere-${run}` } })).expect(422);
      expect(unknown.body).toMatchObject({ code: 'jurisdiction.unknown-unit', errors: [{ field: 'jurisdiction.unitId' }] });
      expect(await eventCount()).toBe(before);
      // A claim that leaves levels out is completed from the registry.
      const created = await register(body({ jurisdiction: { province: 'sindh', unitId } })).expect(201);
      const [registered] = await streamEvents(created.body.accountId as string);
      expect(registered!.data['jurisdiction']).toEqual({ ...karachiSouth, unitId });
    });

    it.each([
      ['an unknown field', { status: 'active' }, 'status'],
      ['an unknown nested field', { mediaTeam: { name: 'cell', unitId: 'media-south', phone: '021' } }, 'mediaTeam.phone'],
      ['a handle with spaces', { handle: 'ssp south' }, 'handle'],
      ['an unknown level', { operatedBy: 'IGP' }, 'operatedBy'],
      ['a missing kind', { kind: undefined }, 'kind'],
      ['a plain-http url', { url: 'http://facebook.com/ssp' }, 'url'],
      ['a missing owning unit', { jurisdiction: { province: 'sindh' } }, 'jurisdiction.unitId'],
    ])('answers 400 problem+json naming the field for %s, and records nothing', async (_case, overrides, field) => {
      const before = await eventCount();
      const response = await register(body(overrides)).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await eventCount()).toBe(before);
    });
  });

  describe('suspend and reinstate', () => {
    const registered = async () => (await register(body()).expect(201)).body.accountId as string;

    it('suspends and reinstates with If-Match, each answering the new version as ETag', async () => {
      const accountId = await registered();
      const suspended = await transition(accountId, 'suspend', { reason: 'Password leaked' }, { 'If-Match': '"1"' }).expect(200);
      expect(suspended.body).toEqual({ accountId, status: 'suspended', version: 2 });
      expect(suspended.headers['etag']).toBe('"2"');
      expect((await transition(accountId, 'suspend', { reason: 'Again' }).expect(409)).body.code).toBe('official-account.not-active');

      const reinstated = await transition(
        accountId,
        'reinstate',
        { reason: 'Credentials rotated' },
        { 'If-Match': suspended.headers['etag']! },
      ).expect(200);
      expect(reinstated.body).toEqual({ accountId, status: 'active', version: 3 });
      expect((await transition(accountId, 'reinstate', { reason: 'Again' }).expect(409)).body.code).toBe('official-account.not-suspended');

      const events = await streamEvents(accountId);
      expect(events.map((event) => [event.stream_version, event.type])).toEqual([
        [1, 'OfficialAccountRegistered'],
        [2, 'OfficialAccountSuspended'],
        [3, 'OfficialAccountReinstated'],
      ]);
      // Transitions carry the owning unit's jurisdiction from the account's state.
      expect(events[1]).toMatchObject({ data: { reason: 'Password leaked', suspendedBy: 'media-south-1' }, metadata: { jurisdiction: { unitId } } });
    });

    it('answers 412 for a stale If-Match and records nothing', async () => {
      const accountId = await registered();
      await transition(accountId, 'suspend', { reason: 'Password leaked' }, { 'If-Match': '"1"' }).expect(200);
      await transition(accountId, 'reinstate', { reason: 'Rotated' }, { 'If-Match': '"2"' }).expect(200);
      const before = await eventCount();
      const stale = await transition(accountId, 'suspend', { reason: 'Seen at version 1' }, { 'If-Match': '"1"' }).expect(412);
      expect(stale.body.code).toBe('stream.stale-version');
      expect(await eventCount()).toBe(before);
    });

    it('answers a caller whose scope does not cover the owning unit as if there were no account (404), and refuses a role that may not (403)', async () => {
      const accountId = await registered();
      const east = service.token({ subject: 'media-east', roles: ['MEDIA_TEAM'], scope: { ...karachiSouth, district: 'karachi-east' } });
      expect((await transition(accountId, 'suspend', { reason: 'Not mine' }, {}, east).expect(404)).body.code).toBe('official-account.not-found');
      const officer = service.token({ subject: 'officer-17', roles: ['OFFICER'], scope: karachiSouth });
      await transition(accountId, 'suspend', { reason: 'Not mine' }, {}, officer).expect(403);
      expect(await streamEvents(accountId)).toHaveLength(1);
    });

    it('lifts a suspension only by an approver other than the one who imposed it (403 otherwise)', async () => {
      const accountId = await registered();
      await transition(accountId, 'suspend', { reason: 'Password leaked' }, {}, approver()).expect(200);
      expect((await transition(accountId, 'reinstate', { reason: 'Mine to lift' }, {}, approver()).expect(403)).body.code).toBe(
        'official-account.own-suspension',
      );
      expect((await transition(accountId, 'reinstate', { reason: 'Rotated' }, {}, mediaTeam()).expect(403)).body.code).toBe(
        'official-account.reinstate-needs-approver',
      );
      expect(await streamEvents(accountId)).toHaveLength(2);
      const dig = service.token({ subject: 'dig-karachi', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi' } });
      await transition(accountId, 'reinstate', { reason: 'Credentials rotated' }, {}, dig).expect(200);
      expect((await streamEvents(accountId))[2]).toMatchObject({ type: 'OfficialAccountReinstated', data: { reinstatedBy: 'dig-karachi' } });
    });

    it('answers 404 for an account never registered, 400 for a bad id, a missing reason or an unknown field', async () => {
      await transition('00000000-0000-4000-8000-000000000000', 'suspend', { reason: 'x' }).expect(404);
      await transition('not-a-uuid', 'suspend', { reason: 'x' }).expect(400);
      const accountId = await registered();
      expect((await transition(accountId, 'suspend', {}).expect(400)).body.errors[0].field).toBe('reason');
      const unknown = await transition(accountId, 'suspend', { reason: 'x', suspendedBy: 'someone-else' }).expect(400);
      expect((unknown.body.errors as { field: string }[]).map((e) => e.field)).toContain('suspendedBy');
    });
  });

  describe('GET /official-accounts/:accountId', () => {
    it('returns the state and history with the version as ETag', async () => {
      const { accountId } = (await register(body()).expect(201)).body as { accountId: string };
      await transition(accountId, 'suspend', { reason: 'Password leaked' }).expect(200);
      const response = await get(`/official-accounts/${accountId}`).expect(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(response.body).toMatchObject({
        accountId,
        status: 'suspended',
        version: 2,
        account: { platform: 'facebook', operatedBy: 'SSP', jurisdiction: { unitId } },
        suspension: { reason: 'Password leaked', suspendedBy: 'media-south-1' },
        history: [
          { version: 1, type: 'OfficialAccountRegistered', actor: { id: 'media-south-1', role: 'MEDIA_TEAM' } },
          { version: 2, type: 'OfficialAccountSuspended' },
        ],
      });
    });

    it('answers 404 outside the caller’s scope and for an unknown id, 400 for a malformed one', async () => {
      const { accountId } = (await register(body()).expect(201)).body as { accountId: string };
      const punjab = service.token({ subject: 'ssp-lahore', roles: ['APPROVER'], scope: { province: 'punjab' } });
      expect((await get(`/official-accounts/${accountId}`, punjab).expect(404)).body.code).toBe('official-account.not-found');
      await get('/official-accounts/00000000-0000-4000-8000-000000000000').expect(404);
      await get('/official-accounts/not-a-uuid').expect(400);
      // Any role may look an account up within its scope.
      const officer = service.token({ subject: 'officer-17', roles: ['OFFICER'], scope: { ...karachiSouth, unit: unitId } });
      await get(`/official-accounts/${accountId}`, officer).expect(200);
    });
  });

  describe('GET /official-accounts (read model fed through Kafka)', () => {
    const listed = async (accountId: string, query = `unitId=${unitId}&pageSize=500`, token = mediaTeam()) => {
      const response = await get(`/official-accounts?${query}`, token).expect(200);
      return (response.body.items as { accountId: string; status: string; version: number; statusReason: string | null }[]).find(
        (item) => item.accountId === accountId,
      );
    };

    it('shows a registered account, then its suspension and reinstatement', async () => {
      const payload = body();
      const { accountId } = (await register(payload).expect(201)).body as { accountId: string };
      const item = await eventually(() => listed(accountId), { what: 'the account in the list' });
      expect(item).toMatchObject({
        accountId,
        platform: 'facebook',
        handle: payload.handle.slice(1).toLowerCase(),
        url: 'https://facebook.com/ssp.south',
        jurisdiction: { ...karachiSouth, unitId },
        mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
        operatedBy: 'SSP',
        status: 'active',
        statusReason: null,
        registeredBy: 'media-south-1',
        version: 1,
      });

      await transition(accountId, 'suspend', { reason: 'Password leaked' }).expect(200);
      await eventually(async () => (await listed(accountId))?.status === 'suspended', { what: 'the suspension in the list' });
      expect(await listed(accountId, `unitId=${unitId}&status=suspended&pageSize=500`)).toMatchObject({
        statusReason: 'Password leaked',
        version: 2,
      });
      expect(await listed(accountId, `unitId=${unitId}&status=active&pageSize=500`)).toBeUndefined();

      await transition(accountId, 'reinstate', { reason: 'Credentials rotated' }).expect(200);
      const back = await eventually(
        async () => {
          const row = await listed(accountId);
          return row?.status === 'active' && row;
        },
        { what: 'the reinstatement in the list' },
      );
      expect(back).toMatchObject({ statusReason: 'Credentials rotated', version: 3 });
    }, 30_000);

    it('lists only what lies within the caller’s scope, paged', async () => {
      const { accountId } = (await register(body()).expect(201)).body as { accountId: string };
      await eventually(() => listed(accountId), { what: 'the account in the list' });
      const punjab = service.token({ subject: 'ssp-lahore', roles: ['APPROVER'], scope: { province: 'punjab' } });
      const outside = await get(`/official-accounts?unitId=${unitId}`, punjab).expect(200);
      expect(outside.body).toMatchObject({ items: [], total: 0 });
      // A filter cannot widen the scope.
      expect((await get(`/official-accounts?unitId=${unitId}&province=sindh`, punjab).expect(200)).body.total).toBe(0);

      const all = await get(`/official-accounts?unitId=${unitId}&pageSize=500`).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(2);
      const firstPage = await get(`/official-accounts?unitId=${unitId}&pageSize=1&page=1`).expect(200);
      const secondPage = await get(`/official-accounts?unitId=${unitId}&pageSize=1&page=2`).expect(200);
      expect(firstPage.body).toMatchObject({ page: 1, pageSize: 1, total: all.body.total });
      expect(firstPage.body.items).toHaveLength(1);
      expect(secondPage.body.items[0].accountId).not.toBe(firstPage.body.items[0].accountId);
    }, 30_000);

    it('answers 400 naming the parameter for an unknown filter or a bad status', async () => {
      expect((await get('/official-accounts?owner=me').expect(400)).body.errors[0].field).toBe('owner');
      expect((await get('/official-accounts?status=deleted').expect(400)).body.errors[0].field).toBe('status');
      expect((await get('/official-accounts?pageSize=1000').expect(400)).body.errors[0].field).toBe('pageSize');
    });
  });
});
