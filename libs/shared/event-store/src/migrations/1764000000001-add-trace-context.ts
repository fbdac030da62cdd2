import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of the command that appended each event (null when tracing is off), so
 * that the relay, which publishes later, continues the same trace. A column of its own, outside
 * `metadata`: trace ids are not part of the audited record, and no hash covers them.
 */
export class AddTraceContext1764000000001 implements MigrationInterface {
  name = 'AddTraceContext1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ADD COLUMN trace_context text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events DROP COLUMN trace_context`);
  }
}
