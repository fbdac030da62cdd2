import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed the recipient directory, and when: every create, change and removal is a row of
 * recipient_edits (the entry before and after), written in the edit's own transaction. A notice
 * that went to a wrong address can then be traced to the edit that put it there.
 */
export class AddRecipientEdits1764001000002 implements MigrationInterface {
  name = 'AddRecipientEdits1764001000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recipients ADD COLUMN created_by text, ADD COLUMN updated_by text`);
    await queryRunner.query(`
      CREATE TABLE recipient_edits (
        position     bigserial   PRIMARY KEY,
        recipient_id uuid        NOT NULL,
        action       text        NOT NULL CHECK (action IN ('created', 'updated', 'removed')),
        edited_by    text        NOT NULL,
        edited_at    timestamptz NOT NULL DEFAULT now(),
        before       jsonb,
        after        jsonb
      )`);
    await queryRunner.query(`CREATE INDEX recipient_edits_recipient ON recipient_edits (recipient_id, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE recipient_edits`);
    await queryRunner.query(`ALTER TABLE recipients DROP COLUMN created_by, DROP COLUMN updated_by`);
  }
}
