import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events table takes rows and gives them back, nothing else: UPDATE, DELETE and TRUNCATE are
 * refused for every role, its owner's included (ADR 19). The service's own role is also granted
 * only SELECT and INSERT on it (databaseGrants); the trigger is what stops a role that may do more,
 * until an administrator who owns the table disables it, which the anchored chain heads are for.
 */
export class AppendOnlyEvents1764000000002 implements MigrationInterface {
  name = 'AppendOnlyEvents1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION refuse_event_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'an event is corrected by appending another event (docs/security.md)';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_event_changes()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER events_never_truncated BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_changes()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER events_never_truncated ON events`);
    await queryRunner.query(`DROP TRIGGER events_append_only ON events`);
    await queryRunner.query(`DROP FUNCTION refuse_event_changes()`);
  }
}
