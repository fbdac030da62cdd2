import { MigrationInterface, QueryRunner } from 'typeorm';
import { CreateApprovalsReport1764000100000 } from './1764000100000-create-approvals-report';

/**
 * The registry of read-model generations (docs/adr/0008-read-model-generations.md): each one a
 * schema `rm_g<N>` holding every read model's tables and its own inbox. Queries read the active
 * one; a rebuild fills a `building` one and switches over. `approvals_report` moves into the
 * generations, so its table in public goes.
 */
export class CreateReadModelGenerations1764000200000 implements MigrationInterface {
  name = 'CreateReadModelGenerations1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE read_model_generations (
        generation   integer     PRIMARY KEY CHECK (generation > 0),
        schema_name  text        NOT NULL UNIQUE,
        status       text        NOT NULL CHECK (status IN ('building', 'active', 'retired')),
        started_at   timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at   timestamptz
      )`);
    // Queries must never have two generations to choose from.
    await queryRunner.query(`CREATE UNIQUE INDEX read_model_generations_one_active ON read_model_generations ((true)) WHERE status = 'active'`);
    await queryRunner.query(`DROP TABLE approvals_report`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schemas = (await queryRunner.query(`SELECT schema_name FROM read_model_generations`)) as { schema_name: string }[];
    for (const { schema_name } of schemas) await queryRunner.query(`DROP SCHEMA IF EXISTS ${schema_name} CASCADE`);
    await queryRunner.query(`DROP TABLE read_model_generations`);
    // The table comes back empty: the old single-schema consumer refills it from the beginning.
    await new CreateApprovalsReport1764000100000().up(queryRunner);
  }
}
