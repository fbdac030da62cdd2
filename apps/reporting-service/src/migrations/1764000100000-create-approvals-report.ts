import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApprovalsReport1764000100000 implements MigrationInterface {
  name = 'CreateApprovalsReport1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approvals_report (
        approval_id          text        PRIMARY KEY,
        requester_id         text        NOT NULL,
        province             text        NOT NULL,
        range                text,
        district             text,
        unit_id              text        NOT NULL,
        platform             text        NOT NULL,
        official_account_id  text        NOT NULL,
        title                text        NOT NULL,
        features             text[]      NOT NULL,
        status               text        NOT NULL,
        requested_at         timestamptz NOT NULL,
        decided_at           timestamptz,
        published_at         timestamptz,
        refused_publications integer     NOT NULL DEFAULT 0,
        last_event_id        uuid        NOT NULL,
        last_stream_version  integer     NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX approvals_report_scope_idx ON approvals_report (province, range, district, unit_id)`);
    await queryRunner.query(`CREATE INDEX approvals_report_requested_idx ON approvals_report (requested_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE approvals_report`);
  }
}
