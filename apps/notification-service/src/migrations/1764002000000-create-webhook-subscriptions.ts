import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions are configuration an integrator edits (a URL, a secret, a list of types), not a
 * history anyone decides on, so they are a table with who created and deactivated them and when,
 * rather than an event-sourced aggregate. What happens to each event sent out — the deliveries —
 * is the auditable part, and that is event-sourced (one `webhook-delivery` stream per delivery).
 */
export class CreateWebhookSubscriptions1764002000000 implements MigrationInterface {
  name = 'CreateWebhookSubscriptions1764002000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        subscription_id uuid        PRIMARY KEY,
        target_url      text        NOT NULL,
        event_types     text[]      NOT NULL,
        secret          text        NOT NULL,
        description     text,
        -- The creator's scope: only events whose jurisdiction lies inside it are delivered.
        province        text,
        range           text,
        district        text,
        unit_id         text,
        active          boolean     NOT NULL DEFAULT true,
        created_by      text        NOT NULL,
        created_at      timestamptz NOT NULL,
        deactivated_by  text,
        deactivated_at  timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX webhook_subscriptions_types_idx ON webhook_subscriptions USING gin (event_types) WHERE active`);
    await queryRunner.query(`CREATE INDEX webhook_subscriptions_owner_idx ON webhook_subscriptions (created_by, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_subscriptions`);
  }
}
