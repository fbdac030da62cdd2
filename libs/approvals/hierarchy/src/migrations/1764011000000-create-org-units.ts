import { MigrationInterface, QueryRunner } from 'typeorm';

/** A copy of the hierarchy registry, one row per unit where it lies now (behind `GET /units` in approval-service). */
export class CreateOrgUnits1764011000000 implements MigrationInterface {
  name = 'CreateOrgUnits1764011000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE org_units (
        unit_id              text        PRIMARY KEY,
        name                 text        NOT NULL,
        province             text        NOT NULL,
        range                text,
        district             text,
        last_stream_version  integer     NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX org_units_place_idx ON org_units (province, range, district, unit_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE org_units`);
  }
}
