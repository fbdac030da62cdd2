import { DataSource } from 'typeorm';
import { ConfigValidationError } from '@conduct/config';
import { EventStore } from '@conduct/event-store';
import { createTestDatabase, serviceRoleUrl, TestDatabase, testInfrastructure } from '@conduct/testing';
import { serviceMigrations } from './event-sourcing.module';
import { eventChangesAllowed, migrateServiceDatabase, refuseChangeableEvents } from './migrate';

const metadata = {
  actor: { id: 'officer-1', role: 'IA_INVESTIGATOR', unitId: 'unit-7' },
  correlationId: 'corr-1',
  occurredAt: '2025-03-03T10:00:00.000Z',
  jurisdiction: { province: 'punjab' },
};

/** The code PostgreSQL answers a statement the role may not run with (and the trigger raises). */
const INSUFFICIENT_PRIVILEGE = '42501';

/*
 * Issue on security, point 7: stored events are never changed. The service connects as a role that
 * may only read and append them, the owner migrates, and a trigger refuses every role, the owner's
 * included, an UPDATE, a DELETE or a TRUNCATE.
 */
describe('append-only events (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: DataSource;
  let streamId: string;

  beforeAll(async () => {
    db = await createTestDatabase([], 'append_only');
    const url = await serviceRoleUrl(testInfrastructure().postgresUrl, db.name);
    service = await new DataSource({ type: 'postgres', url, migrations: serviceMigrations(), logging: false }).initialize();
    await migrateServiceDatabase(service, db.url);
    streamId = `case-${db.name}`;
    await new EventStore(service).append(streamId, 'case', 0, [
      { eventId: crypto.randomUUID(), type: 'ViolationReported', data: { n: 1 }, metadata },
    ]);
  });
  afterAll(async () => {
    await service?.destroy();
    await db.drop();
  });

  it('lets the service role append and read events, and keep the rest of its tables', async () => {
    expect(await service.query(`SELECT current_user AS role`)).toEqual([{ role: 'conduct_service' }]);
    expect(await new EventStore(service).readStream(streamId)).toHaveLength(1);
    await service.query(`INSERT INTO relay_checkpoints (name, transaction_id, position) VALUES ('spec', '1', 1)`);
    await service.query(`UPDATE relay_checkpoints SET position = 2 WHERE name = 'spec'`);
    await service.query(`DELETE FROM relay_checkpoints WHERE name = 'spec'`);
    expect(await eventChangesAllowed(service)).toEqual([]);
  });

  it.each([
    ['UPDATE', `UPDATE events SET data = '{"n": 2}' WHERE stream_id = $1`],
    ['DELETE', `DELETE FROM events WHERE stream_id = $1`],
  ])('refuses the service role an %s of an event', async (_, sql) => {
    await expect(service.query(sql, [streamId])).rejects.toMatchObject({
      code: INSUFFICIENT_PRIVILEGE,
      message: expect.stringContaining('permission denied'),
    });
    await expect(service.query(`TRUNCATE events`)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
  });

  it('refuses the owner too, by the trigger, unless the owner disables it', async () => {
    expect(await eventChangesAllowed(db.dataSource)).toEqual(['UPDATE', 'DELETE', 'TRUNCATE']);
    await expect(db.dataSource.query(`UPDATE events SET data = '{"n": 2}' WHERE stream_id = $1`, [streamId])).rejects.toMatchObject({
      code: INSUFFICIENT_PRIVILEGE,
      message: 'events are append-only: UPDATE refused',
    });
    await expect(db.dataSource.query(`DELETE FROM events WHERE stream_id = $1`, [streamId])).rejects.toMatchObject({
      message: 'events are append-only: DELETE refused',
    });
    await expect(db.dataSource.query(`TRUNCATE events`)).rejects.toMatchObject({ message: 'events are append-only: TRUNCATE refused' });

    const [{ data }] = await db.dataSource.query<[{ data: unknown }]>(`SELECT data FROM events WHERE stream_id = $1`, [streamId]);
    expect(data).toEqual({ n: 1 });
  });

  it('needs no owner to start again once migrated and granted, and grants again harmlessly', async () => {
    // Nothing listens on port 1: a connection as the owner would fail.
    await migrateServiceDatabase(service, 'postgres://nobody@127.0.0.1:1/nowhere');
    await db.dataSource.query(`DELETE FROM migrations WHERE name = 'AppendOnlyEvents1764000000002'`);
    await db.dataSource.query(`DROP TRIGGER events_never_truncated ON events`);
    await db.dataSource.query(`DROP TRIGGER events_append_only ON events`);
    await db.dataSource.query(`DROP FUNCTION refuse_event_changes()`);
    await migrateServiceDatabase(service, db.url);
    await expect(db.dataSource.query(`DELETE FROM events`)).rejects.toMatchObject({ message: 'events are append-only: DELETE refused' });
    expect(await eventChangesAllowed(service)).toEqual([]);
    expect(await new EventStore(service).readStream(streamId)).toHaveLength(1);
  });
});

describe('a production service connected as a role that may change events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(serviceMigrations(), 'append_only_production');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is refused, naming DATABASE_URL; the service role is not', async () => {
    const refusal = await refuseChangeableEvents(db.dataSource).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConfigValidationError);
    expect((refusal as ConfigValidationError).problems).toEqual([
      { variable: 'DATABASE_URL', reason: expect.stringContaining('may UPDATE, DELETE, TRUNCATE events') },
    ]);

    const service = await new DataSource({ type: 'postgres', url: await serviceRoleUrl(testInfrastructure().postgresUrl, db.name) }).initialize();
    try {
      await migrateServiceDatabase(service, db.url);
      await expect(refuseChangeableEvents(service)).resolves.toBeUndefined();
    } finally {
      await service.destroy();
    }
  });
});
