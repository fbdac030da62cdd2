import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recipient directory (reference data kept by ADMINs, not an aggregate: who reads a unit's
 * mail changes without a history anyone decides on), what the notice consumers remember of cases
 * and approvals, the dispatcher's work table and the audit log of every notice.
 */
export class CreateNotices1764001000000 implements MigrationInterface {
  name = 'CreateNotices1764001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE recipients (
        id             uuid        PRIMARY KEY,
        unit_id        text        NOT NULL,
        role           text        NOT NULL CHECK (role IN ('OFFICER', 'SUPERVISOR', 'SSP', 'DIG', 'MEDIA_TEAM')),
        name           text        NOT NULL,
        email          text        NOT NULL,
        language       text        NOT NULL CHECK (language IN ('en', 'ur')),
        service_number text        CHECK (service_number IS NULL OR role = 'OFFICER'),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    // One address per unit and role, and one per officer: the resolution rules never have to choose.
    await queryRunner.query(`CREATE UNIQUE INDEX recipients_unit_role_key ON recipients (unit_id, role) WHERE service_number IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX recipients_service_number_key ON recipients (service_number) WHERE service_number IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE notice_cases (
        case_id          text    PRIMARY KEY,
        service_number   text    NOT NULL,
        officer_name     text    NOT NULL,
        officer_rank     text    NOT NULL,
        officer_unit_id  text    NOT NULL,
        case_unit_id     text    NOT NULL,
        pack_id          text    NOT NULL,
        pack_version     integer NOT NULL,
        clauses          text[]  NOT NULL,
        content_url      text    NOT NULL,
        escalation_level text    NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX notice_cases_officer_idx ON notice_cases (service_number)`);
    await queryRunner.query(`
      CREATE TABLE notice_approvals (
        approval_id  text PRIMARY KEY,
        requester_id text NOT NULL,
        unit_id      text NOT NULL,
        title        text NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE pending_notices (
        notification_id uuid        PRIMARY KEY,
        kind            text        NOT NULL,
        case_id         text,
        approval_id     text,
        notice_id       text,
        send_after      timestamptz NOT NULL,
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        message         jsonb       NOT NULL,
        context         jsonb       NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX pending_notices_due_idx ON pending_notices (next_attempt_at)`);
    await queryRunner.query(`CREATE INDEX pending_notices_notice_idx ON pending_notices (notice_id) WHERE notice_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE notifications_log (
        notification_id   uuid        PRIMARY KEY,
        kind              text        NOT NULL,
        status            text        NOT NULL CHECK (status IN ('queued', 'retrying', 'sent', 'failed', 'cancelled', 'unresolved')),
        reason            text,
        case_id           text,
        approval_id       text,
        notice_id         text,
        recipient_role    text        NOT NULL,
        recipient_id      text,
        recipient_name    text,
        recipient_address text,
        language          text,
        subject           text,
        source_event_id   text        NOT NULL,
        source_event_type text        NOT NULL,
        send_after        timestamptz,
        queued_at         timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        attempts          jsonb       NOT NULL DEFAULT '[]',
        province          text,
        range             text,
        district          text,
        unit_id           text
      )`);
    await queryRunner.query(`CREATE INDEX notifications_log_case_idx ON notifications_log (case_id, queued_at)`);
    await queryRunner.query(`CREATE INDEX notifications_log_recipient_idx ON notifications_log (recipient_address, queued_at)`);
    await queryRunner.query(`CREATE INDEX notifications_log_recipient_id_idx ON notifications_log (recipient_id, queued_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notifications_log', 'pending_notices', 'notice_approvals', 'notice_cases', 'recipients'])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
