import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each case's due process stands (show-cause notice, reply, hearing): the case list shows it
 * and the show-cause reply watcher finds the replies whose deadline has passed. Existing rows stay
 * NULL: no case had a show-cause notice before these columns.
 */
export class AddDueProcessToCasesList1764000600000 implements MigrationInterface {
  name = 'AddDueProcessToCasesList1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cases_list
        ADD COLUMN show_cause_id           text,
        ADD COLUMN show_cause_reply        text CHECK (show_cause_reply IN ('awaited', 'received', 'lapsed')),
        ADD COLUMN show_cause_reply_due_at timestamptz,
        ADD COLUMN hearing_held_at         timestamptz`);
    await queryRunner.query(`CREATE INDEX cases_list_show_cause_due_idx ON cases_list (show_cause_reply_due_at) WHERE show_cause_reply = 'awaited'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX cases_list_show_cause_due_idx`);
    await queryRunner.query(
      `ALTER TABLE cases_list DROP COLUMN show_cause_id, DROP COLUMN show_cause_reply, DROP COLUMN show_cause_reply_due_at, DROP COLUMN hearing_held_at`,
    );
  }
}
