import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The anchored chain heads as reporting-service follows them on conduct.anchors.v1 (ADR 20): every
 * head of each service's store, the parts of an anchor not yet complete, the latest anchor whose
 * root the heads give, and how far each partition of the topic was read. Not a read-model
 * generation: nothing here comes from the event topics, and a rebuild leaves it alone.
 */
export class CreateAnchoredHeads1764000500000 implements MigrationInterface {
  name = 'CreateAnchoredHeads1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE anchor_heads (
        service         text    NOT NULL,
        store           uuid    NOT NULL,
        stream_id       text    COLLATE "C" NOT NULL,
        stream_version  integer NOT NULL,
        hash            text    NOT NULL,
        PRIMARY KEY (service, store, stream_id)
      )`);
    await queryRunner.query(`CREATE INDEX anchor_heads_by_stream ON anchor_heads (stream_id)`);
    await queryRunner.query(`
      CREATE TABLE anchor_head_parts (
        service      text    NOT NULL,
        store        uuid    NOT NULL,
        anchored_at  text    NOT NULL,
        part         integer NOT NULL,
        full_set     boolean NOT NULL,
        heads        jsonb   NOT NULL,
        PRIMARY KEY (service, store, anchored_at, part)
      )`);
    await queryRunner.query(`
      CREATE TABLE held_anchors (
        service      text        NOT NULL,
        store        uuid        NOT NULL,
        anchor       jsonb       NOT NULL,
        anchored_at  text        NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service, store)
      )`);
    await queryRunner.query(`
      CREATE TABLE anchor_positions (
        partition    integer PRIMARY KEY,
        next_offset  bigint  NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['anchor_positions', 'held_anchors', 'anchor_head_parts', 'anchor_heads']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
