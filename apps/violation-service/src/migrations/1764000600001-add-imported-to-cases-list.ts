import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the cases brought in from legacy records (`npm run import:cases`): the deadline watchers
 * leave them alone (docs/import.md). Every case before this column was typed in.
 */
export class AddImportedToCasesList1764000600001 implements MigrationInterface {
  name = 'AddImportedToCasesList1764000600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases_list ADD COLUMN imported boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases_list DROP COLUMN imported`);
  }
}
