import { MigrationInterface, QueryRunner } from 'typeorm';

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
