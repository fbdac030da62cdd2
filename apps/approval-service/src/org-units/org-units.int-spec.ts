import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';

/*
 * The hierarchy registry in approval-service: seeded from config/units.seed.json on start, edited
 * by ADMINs through the API, every edit an event on the unit's stream and on conduct.approvals.v1.
 */
describe('hierarchy registry (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  const run = randomBytes(4).toString('hex');
  const unitId = `ps-keamari-${run}`;
  const http = () => request(service.app.getHttpServer());
  const as = (roles: string[], scope: Record<string, string> = {}, subject = 'admin-hq') =>
    `Bearer ${service.token({ subject, roles: roles as never, scope })}`;
  const admin = () => as(['ADMIN']);

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  it('holds the seed file on start, once: a restart registers nothing again', async () => {
    const clifton = await http().get('/units/ps-clifton').set('Authorization', admin()).expect(200);
    expect(clifton.body).toMatchObject({
      unit: { unitId: 'ps-clifton', province: 'sindh', range: 'karachi', district: 'karachi-south' },
      version: 1,
      history: [{ type: 'UnitRegistered', actor: { id: 'system:units-seed' } }],
    });
    const count = async () =>
      Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE stream_type = 'org-unit'`)).rows[0]!.n);
    const before = await count();
    await service.restart();
    expect(await count()).toBe(before);
  });

  it('registers and moves a unit as an ADMIN, recording who, from where, to where and why, and publishes both events', async () => {
    const created = await http()
      .post('/units')
      .set('Authorization', admin())
      .send({ unitId, name: 'Keamari police station', province: 'sindh', range: 'karachi', district: 'karachi-south' })
      .expect(201);
    expect(created.body).toEqual({ unitId, version: 1 });
    expect(created.headers['location']).toBe(`/units/${unitId}`);
    await http().post('/units').set('Authorization', admin()).send({ unitId, name: 'Again', province: 'sindh' }).expect(409);

    const stale = await http()
      .post(`/units/${unitId}/move`)
      .set('Authorization', admin())
      .set('If-Match', '"7"')
      .send({ to: { province: 'sindh', range: 'karachi', district: 'karachi-keamari' }, reason: 'x' });
    expect(stale.status).toBe(412);
    const moved = await http()
      .post(`/units/${unitId}/move`)
      .set('Authorization', admin())
      .set('If-Match', '"1"')
      .send({ to: { province: 'sindh', range: 'karachi', district: 'karachi-keamari' }, reason: 'Keamari district carved out of Karachi South' })
      .expect(200);
    expect(moved.body).toEqual({ unitId, version: 2 });
    const details = await http().get(`/units/${unitId}`).set('Authorization', admin()).expect(200);
    expect(details.headers['etag']).toBe('"2"');
    expect(details.body.unit).toEqual({ unitId, name: 'Keamari police station', province: 'sindh', range: 'karachi', district: 'karachi-keamari' });
    expect(details.body.history[1]).toMatchObject({
      type: 'UnitMoved',
      actor: { id: 'admin-hq', role: 'ADMIN' },
      data: {
        from: { district: 'karachi-south' },
        to: { district: 'karachi-keamari' },
        reason: 'Keamari district carved out of Karachi South',
        movedBy: 'admin-hq',
      },
    });

    const { rows } = await service.db.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`, [
      `org-unit:${unitId}`,
    ]);
    expect(rows.map((row) => row.type)).toEqual(['UnitRegistered', 'UnitMoved']);
    // The list is fed from the topic, as the other services learn the hierarchy.
    await eventually(
      async () => (await service.db.query(`SELECT 1 FROM org_units WHERE unit_id = $1 AND district = 'karachi-keamari'`, [unitId])).rowCount === 1,
      {
        timeoutMs: 30_000,
        what: `the org_units read model (fed from ${Topics.approvals}) to show the move`,
      },
    );
    const listed = await http()
      .get('/units?district=karachi-keamari')
      .set('Authorization', as(['HQ_ANALYST'], { province: 'sindh' }))
      .expect(200);
    // The topic holds earlier runs' units too: this run's is among them, and every unit listed lies there.
    const items = (listed.body as { items: { unitId: string; district: string }[] }).items;
    expect(items).toContainEqual({ unitId, name: 'Keamari police station', province: 'sindh', range: 'karachi', district: 'karachi-keamari' });
    expect([...new Set(items.map((unit) => unit.district))]).toEqual(['karachi-keamari']);
  });

  it('files a move that drops levels under the new place only: no range or district of the old one survives', async () => {
    const office = `sindh-office-${run}`;
    await http()
      .post('/units')
      .set('Authorization', admin())
      .send({ unitId: office, name: 'Sindh IA office', province: 'sindh', range: 'karachi', district: 'karachi-south' })
      .expect(201);
    await http()
      .post(`/units/${office}/move`)
      .set('Authorization', admin())
      .send({ to: { province: 'sindh' }, reason: 'Became a provincial office' })
      .expect(200);
    const { rows } = await service.db.query<{ metadata: { jurisdiction: object } }>(
      `SELECT metadata FROM events WHERE stream_id = $1 AND stream_version = 2`,
      [`org-unit:${office}`],
    );
    expect(rows[0]!.metadata.jurisdiction).toEqual({ province: 'sindh', unitId: office });
    const details = await http().get(`/units/${office}`).set('Authorization', admin()).expect(200);
    expect(details.body.unit).toEqual({ unitId: office, name: 'Sindh IA office', province: 'sindh' });
    // A district-scoped ADMIN of the old place no longer reaches it.
    await http()
      .get(`/units/${office}`)
      .set('Authorization', as(['ADMIN'], { province: 'sindh', range: 'karachi', district: 'karachi-south' }))
      .expect(404);
  });

  it('lets only ADMINs edit, within their scope, and hides units outside a reader’s scope', async () => {
    const body = { unitId: `ps-x-${run}`, name: 'X', province: 'punjab', range: 'lahore', district: 'lahore' };
    expect(
      (
        await http()
          .post('/units')
          .set('Authorization', as(['HQ_ANALYST']))
          .send(body)
          .expect(403)
      ).body.code,
    ).toBe('auth.role-required');
    expect(
      (
        await http()
          .post('/units')
          .set('Authorization', as(['ADMIN'], { province: 'sindh' }))
          .send(body)
          .expect(403)
      ).body.code,
    ).toBe('org-unit.out-of-scope');
    await http()
      .post('/units/ps-clifton/move')
      .set('Authorization', as(['ADMIN'], { province: 'punjab' }))
      .send({ to: { province: 'punjab' }, reason: 'x' })
      .expect(404);
    await http()
      .get('/units/ps-clifton')
      .set('Authorization', as(['OFFICER'], { province: 'punjab' }))
      .expect(404);
    const punjab = await http()
      .get('/units')
      .set('Authorization', as(['OFFICER'], { province: 'punjab' }))
      .expect(200);
    const provinces = new Set((punjab.body as { items: { province: string }[] }).items.map((unit) => unit.province));
    expect([...provinces]).toEqual(['punjab']);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const bad = await http()
      .post('/units')
      .set('Authorization', admin())
      .send({ unitId: 'u', name: 'U', province: 'sindh', district: 'karachi-south' })
      .expect(422);
    expect(bad.body).toMatchObject({ code: 'org-unit.district-without-range', errors: [{ field: 'unit.range' }] });
    const unknownField = await http()
      .post('/units')
      .set('Authorization', admin())
      .send({ unitId: 'u', name: 'U', province: 'sindh', colour: 'blue' })
      .expect(400);
    expect(unknownField.body.errors[0].field).toBe('colour');
    const same = await http()
      .post('/units/ps-clifton/move')
      .set('Authorization', admin())
      .send({ to: { province: 'sindh', range: 'karachi', district: 'karachi-south' }, reason: 'x' })
      .expect(422);
    expect(same.body.code).toBe('org-unit.same-place');
    await http()
      .get(`/units/${'x'.repeat(65)}`)
      .set('Authorization', admin())
      .expect(400);
    await http().get('/units/ps-nowhere').set('Authorization', admin()).expect(404);
  });
});
