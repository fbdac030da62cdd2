import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers whose personal data was erased (PersonalDataErased on conduct.cases.v1): the
 * recipients seed file does not put an erased officer's own entry back at the next start.
 */
export class AddErasedPeople1764002000005 implements MigrationInterface {
  name = 'AddErasedPeople1764002000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE erased_people (service_number text PRIMARY KEY, erased_at timestamptz NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erased_people`);
  }
}
