import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read-model consumer applies each stream in version order (InboxConsumer's inStreamOrder):
 * every existing generation gets the tables it keeps that order in, as new generations do. Each
 * stream of a generation stands at the highest version its inbox holds: the version guards it ran
 * with until now never applied an older version after a newer one, so nothing below is pending.
 * Streams whose events no read model handled (official accounts) have no inbox rows: their next
 * event waits, parked, for versions this generation never recorded. A rebuild (a generation built
 * in stream order from the beginning) fixes both that and any event the guards dropped.
 */
export class AddStreamOrderToGenerations1764000400000 implements MigrationInterface {
  name = 'AddStreamOrderToGenerations1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const schema of await generationSchemas(queryRunner)) {
      await queryRunner.query(`CREATE TABLE ${schema}.inbox_stream_versions (LIKE public.inbox_stream_versions INCLUDING ALL)`);
      await queryRunner.query(`CREATE TABLE ${schema}.inbox_parked (LIKE public.inbox_parked INCLUDING ALL)`);
      await queryRunner.query(
        `INSERT INTO ${schema}.inbox_stream_versions (consumer, stream_id, version)
         SELECT consumer, stream_id, max(stream_version) FROM ${schema}.inbox GROUP BY consumer, stream_id`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const schema of await generationSchemas(queryRunner)) {
      await queryRunner.query(`DROP TABLE ${schema}.inbox_parked`);
      await queryRunner.query(`DROP TABLE ${schema}.inbox_stream_versions`);
    }
  }
}

async function generationSchemas(queryRunner: QueryRunner): Promise<string[]> {
  const rows = (await queryRunner.query(`SELECT schema_name FROM read_model_generations ORDER BY generation`)) as { schema_name: string }[];
  return rows.map((row) => row.schema_name);
}
