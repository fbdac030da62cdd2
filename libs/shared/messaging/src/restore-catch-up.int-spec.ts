import { randomUUID } from 'node:crypto';
import { computeEventHash, eventStoreMigrations, GENESIS_HASH } from '@conduct/event-store';
import { createTestDatabase, createTestTopics, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { messagingMigrations } from './migrations';
import { restoreCatchUp } from './restore-catch-up';
import { fixtureEnvelope, insertEvent } from './testing/events-fixture';

jest.setTimeout(60_000);

/**
 * The catch-up after a database restore, stream by stream, against a real topic and database: what
 * it re-imports, and each reason it stops a stream (the end-to-end restore drill runs it on the
 * whole system).
 */
describe('restoreCatchUp (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    db = await createTestDatabase([...eventStoreMigrations, ...messagingMigrations], 'restore_catch_up');
    pool = new Pool({ connectionString: db.url, max: 2 });
    kafka = testKafka('restore-catch-up-test');
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await pool.end();
    await db.drop();
  });

  /** The envelope of version `version` of a stream, chained to `prevHash` as the event store hashes it. */
  const chained = (streamId: string, version: number, prevHash: string, text = `note ${version}`): EventEnvelope => {
    const envelope = fixtureEnvelope('NoteAdded', { text }, streamId, { streamVersion: version, prevHash });
    return { ...envelope, hash: computeEventHash(prevHash, { ...envelope, metadata: envelope.metadata! }) };
  };
  const storedVersions = async (streamId: string) =>
    (
      await pool.query<{ v: number; id: string }>('SELECT stream_version AS v, event_id::text AS id FROM events WHERE stream_id = $1 ORDER BY 1', [
        streamId,
      ])
    ).rows;

  it('re-imports the missing events that continue each stream, and reports the streams it cannot bring back', async () => {
    const [topic] = await createTestTopics(kafka, 'restore-catch-up');
    // behind: v1 survived the restore; v2 and v3 are only on Kafka.
    const behind = `behind-${randomUUID()}`;
    const kept = await insertEvent(pool, { streamId: behind, streamVersion: 1 });
    const v2 = chained(behind, 2, kept.hash);
    const v3 = chained(behind, 3, v2.hash);
    // gap: v2 was never published (a private event): v1 comes back, v3 cannot.
    const gap = `gap-${randomUUID()}`;
    const gapV1 = chained(gap, 1, GENESIS_HASH);
    const gapV3 = chained(gap, 3, chained(gap, 2, gapV1.hash).hash);
    // altered: content that no longer matches its hash.
    const altered = `altered-${randomUUID()}`;
    const alteredV1 = { ...chained(altered, 1, GENESIS_HASH), data: { text: 'changed on the way' } };
    // forked: the restored database took a command at v1 already; Kafka has another v1.
    const forked = `forked-${randomUUID()}`;
    const written = await insertEvent(pool, { streamId: forked, streamVersion: 1 });
    const otherV1 = chained(forked, 1, GENESIS_HASH);

    await producer.send({
      topic: topic!,
      acks: -1,
      messages: [{ key: 'poison', value: '{"not": json' }, ...[v3, v2, v2, gapV1, gapV3, alteredV1, otherV1].map(toKafkaMessage)],
    });

    const report = await restoreCatchUp({ kafka, pool, topics: [topic!], service: 'restore-test', rewindConsumers: false });

    expect(report).toMatchObject({ published: 6, missing: 6, imported: 3, rewound: [] });
    expect(await storedVersions(behind)).toEqual([
      { v: 1, id: kept.eventId },
      { v: 2, id: v2.eventId },
      { v: 3, id: v3.eventId },
    ]);
    // Stored as published: the chain the event store verifies holds through the imported events.
    const { rows } = await pool.query<{ hash: string; prev_hash: string }>(
      'SELECT hash, prev_hash FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [behind],
    );
    expect(rows.map((row) => row.prev_hash)).toEqual([GENESIS_HASH, kept.hash, v2.hash]);
    expect(rows.at(-1)!.hash).toBe(v3.hash);
    expect(await storedVersions(gap)).toEqual([{ v: 1, id: gapV1.eventId }]);
    expect(await storedVersions(altered)).toEqual([]);
    expect(await storedVersions(forked)).toEqual([{ v: 1, id: written.eventId }]);
    expect(report.incomplete).toEqual(
      expect.arrayContaining([
        { streamId: gap, streamVersion: 3, eventId: gapV3.eventId, reason: 'versions 2 to 2 are on no topic' },
        { streamId: altered, streamVersion: 1, eventId: alteredV1.eventId, reason: 'its hash chain does not hold: not imported' },
      ]),
    );
    expect(report.incomplete).toHaveLength(2);
    expect(report.forked).toEqual([
      { streamId: forked, streamVersion: 1, eventId: otherV1.eventId, reason: `the database holds version 1 as event ${written.eventId}` },
    ]);

    // A second run finds nothing more to bring back.
    expect(await restoreCatchUp({ kafka, pool, topics: [topic!], service: 'restore-test', rewindConsumers: false })).toMatchObject({
      missing: 3,
      imported: 0,
    });
  });

  it("rewinds the service's consumer groups, and only those, to the beginning of their topics", async () => {
    const [topic] = await createTestTopics(kafka, 'restore-rewind');
    await producer.send({ topic: topic!, acks: -1, messages: [1, 2, 3].map((n) => ({ key: 'k', value: `m${n}` })) });
    const prefix = `drill-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ours = `${prefix}.restored-service.list`;
      const theirs = `${prefix}.other-service.list`;
      for (const groupId of [ours, theirs]) await admin.setOffsets({ groupId, topic: topic!, partitions: [{ partition: 0, offset: '3' }] });
      const committed = async (groupId: string) =>
        (await admin.fetchOffsets({ groupId, topics: [topic!] }))[0]!.partitions.find((p) => p.partition === 0)!.offset;

      const report = await restoreCatchUp({ kafka, pool, topics: [topic!], service: 'restored-service', groupPrefix: prefix });

      expect(report.rewound).toEqual([ours]);
      expect(await committed(ours)).toBe('0');
      expect(await committed(theirs)).toBe('3');
    } finally {
      await admin.disconnect();
    }
  });
});
