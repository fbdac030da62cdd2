import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For consumers that apply each stream in version order (InboxConsumerOptions.inStreamOrder):
 * the last version applied per stream, and the events that arrived ahead of a missing one,
 * parked until it comes. Written in the inbox transaction, like the inbox itself.
 */
export class CreateStreamOrder1764000000300 implements MigrationInterface {
  name = 'CreateStreamOrder1764000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_stream_versions (
        consumer   text    NOT NULL,
        stream_id  text    COLLATE "C" NOT NULL,
        version    integer NOT NULL,
        PRIMARY KEY (consumer, stream_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE inbox_parked (
        consumer        text        NOT NULL,
        stream_id       text        COLLATE "C" NOT NULL,
        stream_version  integer     NOT NULL,
        type            text        NOT NULL,
        envelope        jsonb       NOT NULL,
        parked_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, stream_id, stream_version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox_parked`);
    await queryRunner.query(`DROP TABLE inbox_stream_versions`);
  }
}
