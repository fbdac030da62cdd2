import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Show-cause reminders are kept under their show-cause notice, as takedown reminders are under
 * their takedown notice (`notice_id`): the officer's reply, or its lapse, cancels the reminders of
 * that show-cause notice and can never reach a takedown notice's.
 */
export class AddShowCauseReminders1764002000004 implements MigrationInterface {
  name = 'AddShowCauseReminders1764002000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE pending_notices ADD COLUMN show_cause_id text`);
    await queryRunner.query(`CREATE INDEX pending_notices_show_cause_idx ON pending_notices (show_cause_id) WHERE show_cause_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX pending_notices_show_cause_idx`);
    await queryRunner.query(`ALTER TABLE pending_notices DROP COLUMN show_cause_id`);
  }
}
