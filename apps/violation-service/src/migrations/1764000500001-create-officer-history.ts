import { MigrationInterface, QueryRunner } from 'typeorm';

/** Early intervention's per-officer read model: whom each case is about, standing substantiated findings, cases already flagged. */
export class CreateOfficerHistory1764000500001 implements MigrationInterface {
  name = 'CreateOfficerHistory1764000500001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE officer_cases (
        case_id        text    PRIMARY KEY,
        service_number text    NOT NULL,
        pack_id        text    NOT NULL,
        pack_version   integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE officer_findings (
        case_id        text        PRIMARY KEY,
        service_number text        NOT NULL,
        recorded_at    timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX officer_findings_officer_idx ON officer_findings (service_number, recorded_at)`);
    await queryRunner.query(`
      CREATE TABLE officer_flagged_cases (
        service_number text NOT NULL,
        case_id        text NOT NULL,
        PRIMARY KEY (service_number, case_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE officer_flagged_cases`);
    await queryRunner.query(`DROP TABLE officer_findings`);
    await queryRunner.query(`DROP TABLE officer_cases`);
  }
}
