import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read which case, when, through what and from which scope: the access audit of the services
 * that show cases (violation-service, reporting-service). Rows are only ever inserted.
 */
export class CreateAccessLog1764009000000 implements MigrationInterface {
  name = 'CreateAccessLog1764009000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_log (
        access_id      bigserial   PRIMARY KEY,
        accessed_at    timestamptz NOT NULL,
        subject        text        NOT NULL,
        roles          text[]      NOT NULL,
        -- The reader's scope when they read ({} = national).
        scope          jsonb       NOT NULL,
        action         text        NOT NULL,
        case_id        text,
        resource       text        NOT NULL,
        correlation_id text
      )`);
    await queryRunner.query(`CREATE INDEX access_log_case_idx ON access_log (case_id, accessed_at) WHERE case_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX access_log_subject_idx ON access_log (subject, accessed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE access_log`);
  }
}
