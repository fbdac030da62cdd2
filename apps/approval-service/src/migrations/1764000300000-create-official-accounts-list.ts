import { MigrationInterface, QueryRunner } from 'typeorm';

/** The read model behind `GET /official-accounts`: one row per registered account. */
export class CreateOfficialAccountsList1764000300000 implements MigrationInterface {
  name = 'CreateOfficialAccountsList1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE official_accounts_list (
        account_id           uuid        PRIMARY KEY,
        platform             text        NOT NULL,
        handle               text        NOT NULL,
        url                  text,
        province             text        NOT NULL,
        range                text,
        district             text,
        unit_id              text        NOT NULL,
        media_team_name      text        NOT NULL,
        media_team_unit_id   text        NOT NULL,
        operated_by          text        NOT NULL,
        status               text        NOT NULL CHECK (status IN ('active', 'suspended')),
        status_reason        text,
        status_changed_at    timestamptz,
        registered_by        text        NOT NULL,
        registered_at        timestamptz NOT NULL,
        last_event_id        uuid        NOT NULL,
        last_stream_version  integer     NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX official_accounts_list_scope_idx ON official_accounts_list (province, range, district, unit_id)`);
    await queryRunner.query(`CREATE INDEX official_accounts_list_registered_idx ON official_accounts_list (registered_at DESC, account_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE official_accounts_list`);
  }
}
