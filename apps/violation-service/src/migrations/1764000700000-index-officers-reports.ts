import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cases about an officer, straight from the events: erasure is refused while one is open, and
 * that check cannot wait for the cases list to catch up (docs/privacy.md).
 */
export class IndexOfficersReports1764000700000 implements MigrationInterface {
  name = 'IndexOfficersReports1764000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX events_reported_officer_idx ON events ((data->'officer'->>'serviceNumber')) WHERE type = 'ViolationReported'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX events_reported_officer_idx`);
  }
}
