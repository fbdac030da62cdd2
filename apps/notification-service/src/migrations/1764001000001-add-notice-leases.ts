import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices are sent outside any transaction, under a lease (token + expiry) that commits at once:
 * a transaction held open across an SMTP exchange kept the row lock and, worse, held back every
 * outbox relay on the PostgreSQL cluster (relays read only below the oldest open transaction).
 * A cancellation that meets a leased row leaves its reason for the dispatcher to settle.
 */
export class AddNoticeLeases1764001000001 implements MigrationInterface {
  name = 'AddNoticeLeases1764001000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE pending_notices ADD COLUMN lease_token uuid, ADD COLUMN lease_until timestamptz, ADD COLUMN cancel_reason text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE pending_notices DROP COLUMN lease_token, DROP COLUMN lease_until, DROP COLUMN cancel_reason`);
  }
}
