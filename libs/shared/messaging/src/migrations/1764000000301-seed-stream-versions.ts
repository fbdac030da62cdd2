import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A database from before stream order: its consumers' streams stand at the highest version their
 * inbox holds. Without this, a consumer switched to inStreamOrder would find no version for an
 * existing stream and park its next event forever, waiting for versions it applied long ago. The
 * version guards used until then never applied an older version after a newer one, so nothing
 * below that highest version is pending. (A stream whose last events were of types the consumer
 * did not record starts lower and waits: rebuild that read model.)
 */
export class SeedStreamVersions1764000000301 implements MigrationInterface {
  name = 'SeedStreamVersions1764000000301';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO inbox_stream_versions AS s (consumer, stream_id, version)
      SELECT consumer, stream_id, max(stream_version) FROM inbox GROUP BY consumer, stream_id
      ON CONFLICT (consumer, stream_id) DO UPDATE SET version = greatest(s.version, excluded.version)`);
  }

  async down(): Promise<void> {
    // The versions stay: they are what the consumers have applied.
  }
}
