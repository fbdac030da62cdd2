import { MigrationInterface, QueryRunner } from 'typeorm';
import { Migration } from '@conduct/service-runtime';

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

/**
 * The deliveries: a work table for the dispatcher (status, attempts, when next, the lease of the
 * replica sending it) that also answers the log queries, and one row per event of each delivery's
 * stream (queued, each attempt, redelivery requests) for the attempt history.
 */
export class CreateWebhookDeliveries1764002000001 implements MigrationInterface {
  name = 'CreateWebhookDeliveries1764002000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        delivery_id      uuid        PRIMARY KEY,
        subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (subscription_id),
        event_id         uuid        NOT NULL,
        event_type       text        NOT NULL,
        case_id          text,
        approval_id      text,
        -- The envelope exactly as POSTed: the signature covers these bytes.
        envelope         text        NOT NULL,
        jurisdiction     jsonb,
        correlation_id   text        NOT NULL,
        status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts         integer     NOT NULL DEFAULT 0,
        stream_version   integer     NOT NULL,
        next_attempt_at  timestamptz,
        lease_token      uuid,
        lease_until      timestamptz,
        last_status_code integer,
        last_error       text,
        queued_at        timestamptz NOT NULL,
        delivered_at     timestamptz,
        updated_at       timestamptz NOT NULL,
        UNIQUE (subscription_id, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_case_idx ON webhook_deliveries (case_id, queued_at) WHERE case_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, queued_at)`);
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_log (
        delivery_id     uuid        NOT NULL REFERENCES webhook_deliveries (delivery_id),
        stream_version  integer     NOT NULL,
        event_id        uuid        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('queued', 'delivered', 'failed', 'redelivery-requested')),
        attempt         integer,
        status_code     integer,
        reason          text,
        dead            boolean     NOT NULL DEFAULT false,
        next_attempt_at timestamptz,
        actor           text        NOT NULL,
        at              timestamptz NOT NULL,
        PRIMARY KEY (delivery_id, stream_version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery_log`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
  }
}

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

export const webhookMigrations: Migration[] = [
  CreateWebhookSubscriptions1764002000000,
  CreateWebhookDeliveries1764002000001,
  AddWebhookPersonalDataGrant1764002000002,
];
