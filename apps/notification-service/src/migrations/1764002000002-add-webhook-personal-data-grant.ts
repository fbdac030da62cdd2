import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An ADMIN's grant of personal data to one subscription: its deliveries carry officers' names and
 * addresses, which the redaction policy otherwise keeps from integrations. Who granted, when, why.
 */
export class AddWebhookPersonalDataGrant1764002000002 implements MigrationInterface {
  name = 'AddWebhookPersonalDataGrant1764002000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscriptions
        ADD COLUMN personal_data_granted_by text,
        ADD COLUMN personal_data_granted_at timestamptz,
        ADD COLUMN personal_data_reason     text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE webhook_subscriptions DROP COLUMN personal_data_granted_by, DROP COLUMN personal_data_granted_at, DROP COLUMN personal_data_reason`,
    );
  }
}
