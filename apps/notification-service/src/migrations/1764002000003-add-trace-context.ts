import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context (W3C traceparent) of the consumer's apply that queued a notice or a webhook
 * delivery: its dispatcher sends it later, and the send continues the command's trace. Null when
 * tracing is off.
 */
export class AddDispatchTraceContext1764002000003 implements MigrationInterface {
  name = 'AddDispatchTraceContext1764002000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE pending_notices ADD COLUMN trace_context text`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries ADD COLUMN trace_context text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_deliveries DROP COLUMN trace_context`);
    await queryRunner.query(`ALTER TABLE pending_notices DROP COLUMN trace_context`);
  }
}
