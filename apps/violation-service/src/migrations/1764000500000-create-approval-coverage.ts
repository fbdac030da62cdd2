import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coverage matcher's two read models: approved publications (from conduct.approvals.v1) and
 * the evidence hashes of cases (from conduct.cases.v1), each looked up by hash when the other arrives.
 */
export class CreateApprovalCoverage1764000500000 implements MigrationInterface {
  name = 'CreateApprovalCoverage1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE published_media (
        approval_id         text        PRIMARY KEY,
        media_sha256        text        NOT NULL,
        official_account_id text        NOT NULL,
        url                 text        NOT NULL,
        published_at        timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX published_media_sha256_idx ON published_media (media_sha256)`);
    await queryRunner.query(`
      CREATE TABLE case_evidence (
        case_id text NOT NULL,
        sha256  text NOT NULL,
        PRIMARY KEY (case_id, sha256)
      )`);
    await queryRunner.query(`CREATE INDEX case_evidence_sha256_idx ON case_evidence (sha256)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE case_evidence`);
    await queryRunner.query(`DROP TABLE published_media`);
  }
}
