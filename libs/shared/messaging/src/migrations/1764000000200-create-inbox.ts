import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events a consumer has applied, written in the same transaction as its effects: a redelivered
 * event finds its row and changes nothing. Where it came from is kept for tracing.
 */
export class CreateInbox1764000000200 implements MigrationInterface {
  name = 'CreateInbox1764000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer        text        NOT NULL,
        event_id        uuid        NOT NULL,
        type            text        NOT NULL,
        stream_id       text        NOT NULL,
        stream_version  integer     NOT NULL,
        topic           text        NOT NULL,
        partition       integer     NOT NULL,
        "offset"        bigint      NOT NULL,
        processed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox`);
  }
}
