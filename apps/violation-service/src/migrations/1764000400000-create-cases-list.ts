import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per case: the lists behind `GET /cases` and the takedown deadline watcher's work. */
export class CreateCasesList1764000400000 implements MigrationInterface {
  name = 'CreateCasesList1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cases_list (
        case_id                text        PRIMARY KEY,
        officer_service_number text        NOT NULL,
        officer_name           text        NOT NULL,
        officer_rank           text        NOT NULL,
        officer_unit_id        text        NOT NULL,
        province               text        NOT NULL,
        range                  text,
        district               text,
        unit_id                text,
        platform               text        NOT NULL,
        clauses                text[]      NOT NULL,
        status                 text        NOT NULL,
        stage                  text        NOT NULL,
        investigator_id        text,
        takedown_notice_id     text,
        takedown_status        text        CHECK (takedown_status IN ('pending', 'overdue', 'removed')),
        takedown_due_at        timestamptz,
        takedown_removed_at    timestamptz,
        takedown_overdue       boolean     GENERATED ALWAYS AS (takedown_status IS NOT DISTINCT FROM 'overdue') STORED,
        escalation_level       text        NOT NULL,
        finding_outcome        text,
        sanction               text,
        reported_at            timestamptz NOT NULL,
        closed_at              timestamptz,
        version                integer     NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX cases_list_scope_idx ON cases_list (province, range, district, unit_id, status)`);
    await queryRunner.query(`CREATE INDEX cases_list_reported_idx ON cases_list (reported_at DESC, case_id)`);
    await queryRunner.query(`CREATE INDEX cases_list_officer_idx ON cases_list (officer_service_number, reported_at DESC)`);
    await queryRunner.query(`CREATE INDEX cases_list_clauses_idx ON cases_list USING gin (clauses)`);
    await queryRunner.query(`CREATE INDEX cases_list_takedown_due_idx ON cases_list (takedown_due_at) WHERE takedown_status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cases_list`);
  }
}
