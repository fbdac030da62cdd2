import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store of one service database: the append-only `events` table (also the outbox the
 * relay tails, see docs/adr/0003-outbox-is-the-events-table.md) and `snapshots`.
 */
export class CreateEventStore1764000000000 implements MigrationInterface {
  name = 'CreateEventStore1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Stream ids and types are opaque identifiers: byte order ("C") makes every index probe a
    // memcmp instead of a locale comparison, and appends probe (stream_id, stream_version) twice.
    await queryRunner.query(`
      CREATE TABLE events (
        position        bigserial   PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text        COLLATE "C" NOT NULL,
        stream_type     text        COLLATE "C" NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        event_id        uuid        NOT NULL UNIQUE,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL DEFAULT 1,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        prev_hash       text        NOT NULL,
        hash            text        NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    // The relay reads in (transaction_id, position) order.
    await queryRunner.query(`CREATE INDEX events_transaction_position_idx ON events (transaction_id, position)`);
    await queryRunner.query(`CREATE INDEX events_stream_type_idx ON events (stream_type, position)`);
    await queryRunner.query(`
      CREATE TABLE snapshots (
        stream_id       text        COLLATE "C" NOT NULL,
        stream_version  integer     NOT NULL,
        schema_version  integer     NOT NULL DEFAULT 1,
        state           jsonb       NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (stream_id, stream_version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE snapshots`);
    await queryRunner.query(`DROP TABLE events`);
  }
}
