import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each outbox relay got in `events`: the (transaction id, position) of the last row the
 * broker acknowledged. The relay reads rows after it in that order (see outbox-relay.ts).
 */
export class CreateRelayCheckpoints1764000000100 implements MigrationInterface {
  name = 'CreateRelayCheckpoints1764000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE relay_checkpoints (
        name            text        PRIMARY KEY,
        transaction_id  xid8        NOT NULL,
        position        bigint      NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE relay_checkpoints`);
  }
}
