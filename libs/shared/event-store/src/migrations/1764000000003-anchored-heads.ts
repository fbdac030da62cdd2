import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the anchors need besides the events (docs/security.md, "Anchored chain heads"): the store's
 * own random id, which its anchors carry so that a follower keeps heads per store, and the heads
 * last sent out with an anchor, so that the next sends only those that changed. Neither is part of
 * the record: losing them costs one anchor carrying every head again. `last_full_at`: when an
 * anchor last sent every head (one does each day, so a follower out of step comes back).
 */
export class AnchoredHeads1764000000003 implements MigrationInterface {
  name = 'AnchoredHeads1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE anchor_store (
        only_row      boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
        store_id      uuid        NOT NULL DEFAULT gen_random_uuid(),
        last_full_at  timestamptz
      )`);
    await queryRunner.query(`INSERT INTO anchor_store DEFAULT VALUES`);
    await queryRunner.query(`
      CREATE TABLE anchored_heads (
        stream_id       text    COLLATE "C" PRIMARY KEY,
        stream_version  integer NOT NULL,
        hash            text    NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE anchored_heads`);
    await queryRunner.query(`DROP TABLE anchor_store`);
  }
}
