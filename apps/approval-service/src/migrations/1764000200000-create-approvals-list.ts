import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per approval request: the approver's inbox, the requester's list, the expiry watcher's work. */
export class CreateApprovalsList1764000200000 implements MigrationInterface {
  name = 'CreateApprovalsList1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approvals_list (
        approval_id          text        PRIMARY KEY,
        requester_id         text        NOT NULL,
        province             text        NOT NULL,
        range                text,
        district             text,
        unit_id              text        NOT NULL,
        platform             text        NOT NULL,
        official_account_id  text        NOT NULL,
        title                text        NOT NULL,
        status               text        NOT NULL,
        requested_at         timestamptz NOT NULL,
        decided_at           timestamptz,
        valid_until          timestamptz,
        refused_publications integer     NOT NULL DEFAULT 0,
        version              integer     NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX approvals_list_scope_idx ON approvals_list (province, range, district, unit_id, status)`);
    await queryRunner.query(`CREATE INDEX approvals_list_requester_idx ON approvals_list (requester_id, requested_at DESC)`);
    await queryRunner.query(`CREATE INDEX approvals_list_expiry_idx ON approvals_list (valid_until) WHERE status = 'granted'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE approvals_list`);
  }
}
