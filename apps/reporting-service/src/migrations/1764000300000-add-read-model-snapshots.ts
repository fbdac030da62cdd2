import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshot generations (docs/adr/0008-read-model-generations.md): a rebuild up to a report's
 * positions stamp is kept as `snapshot`, labelled with the stamp it reproduces, and is never
 * made active. The status CHECK gains the value; `reproduces` holds the stamp.
 */
export class AddReadModelSnapshots1764000300000 implements MigrationInterface {
  name = 'AddReadModelSnapshots1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE read_model_generations ADD COLUMN reproduces jsonb`);
    await queryRunner.query(`ALTER TABLE read_model_generations DROP CONSTRAINT read_model_generations_status_check`);
    await queryRunner.query(`
      ALTER TABLE read_model_generations ADD CONSTRAINT read_model_generations_status_check
        CHECK (status IN ('building', 'active', 'retired', 'snapshot'))`);
    // A snapshot always says which stamp it reproduces (set when its build starts); the others never do.
    await queryRunner.query(`
      ALTER TABLE read_model_generations ADD CONSTRAINT read_model_generations_snapshot_stamp
        CHECK ((status <> 'snapshot' OR reproduces IS NOT NULL) AND (reproduces IS NULL OR status IN ('building', 'snapshot')))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const snapshots = (await queryRunner.query(`SELECT schema_name FROM read_model_generations WHERE status = 'snapshot'`)) as {
      schema_name: string;
    }[];
    for (const { schema_name } of snapshots) await queryRunner.query(`DROP SCHEMA IF EXISTS ${schema_name} CASCADE`);
    await queryRunner.query(`DELETE FROM read_model_generations WHERE status = 'snapshot'`);
    await queryRunner.query(`ALTER TABLE read_model_generations DROP CONSTRAINT read_model_generations_snapshot_stamp`);
    await queryRunner.query(`ALTER TABLE read_model_generations DROP CONSTRAINT read_model_generations_status_check`);
    await queryRunner.query(
      `ALTER TABLE read_model_generations ADD CONSTRAINT read_model_generations_status_check CHECK (status IN ('building', 'active', 'retired'))`,
    );
    await queryRunner.query(`ALTER TABLE read_model_generations DROP COLUMN reproduces`);
  }
}
