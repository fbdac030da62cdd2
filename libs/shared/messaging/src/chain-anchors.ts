import { prepareAnchor, recordAnchoredHeads, whileAnchoring, type AnchorHeads, type ChainAnchor, type PreparedAnchor } from '@conduct/event-store';
import { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { publishedEvents } from './restore-catch-up';
import { readTopicsToEnd } from './topic-reader';
import { ANCHORS_TOPIC } from './topics';

/**
 * Anchors travel on their own topic, keyed by service, kept forever like every topic: away from
 * the database they commit to, so that whoever can rewrite the database cannot rewrite them. The
 * heads go first, each part in a request of its own (a request is one batch, which Kafka caps at
 * about 1 MB), then the anchor: on one key, a follower sees them in that order.
 */
export async function publishAnchor(kafka: Kafka, prepared: PreparedAnchor): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const key = prepared.anchor.service;
    for (const part of prepared.parts) await producer.send({ topic: ANCHORS_TOPIC, acks: -1, messages: [{ key, value: JSON.stringify(part) }] });
    await producer.send({ topic: ANCHORS_TOPIC, acks: -1, messages: [{ key, value: JSON.stringify(prepared.anchor) }] });
  } finally {
    await producer.disconnect();
  }
}

/** Anchors a service's store now: computes the anchor, publishes it with its heads, and remembers what it sent. */
export async function anchorStore(pool: Pool, kafka: Kafka, service: string, now: Date, options: { full?: boolean } = {}): Promise<ChainAnchor> {
  return whileAnchoring(pool, async () => {
    const prepared = await prepareAnchor(pool, service, now, options);
    await publishAnchor(kafka, prepared);
    await recordAnchoredHeads(pool, prepared);
    return prepared.anchor;
  });
}

/** What the anchors topic carries: an anchor, or a share of the heads that go with the next one. */
export type AnchorsTopicMessage = ChainAnchor | AnchorHeads;

export const isAnchorHeads = (message: AnchorsTopicMessage): message is AnchorHeads => (message as AnchorHeads).kind === 'anchor-heads';

/** Every anchor a service published, oldest first, read from the anchors topic (their heads left out). */
export async function publishedAnchors(kafka: Kafka, service: string, options: { groupPrefix: string; timeoutMs?: number }): Promise<ChainAnchor[]> {
  const anchors: { offset: number; anchor: ChainAnchor }[] = [];
  await readTopicsToEnd(
    kafka,
    [ANCHORS_TOPIC],
    (_topic, _partition, message) => {
      if (message.key?.toString() !== service || !message.value) return;
      let value: AnchorsTopicMessage;
      try {
        value = JSON.parse(message.value.toString()) as AnchorsTopicMessage;
      } catch {
        return; // not an anchor: nothing to list
      }
      if (!isAnchorHeads(value)) anchors.push({ offset: Number(message.offset), anchor: value });
    },
    options,
  );
  // One key, one partition: offset order is publishing order.
  return anchors.sort((a, b) => a.offset - b.offset).map(({ anchor }) => anchor);
}

/** The latest anchor a service published (undefined before its first), read from the anchors topic. */
export async function latestAnchor(
  kafka: Kafka,
  service: string,
  options: { groupPrefix: string; timeoutMs?: number },
): Promise<ChainAnchor | undefined> {
  return (await publishedAnchors(kafka, service, options)).at(-1);
}

/** A stored event whose hash is not the one it was published with. */
export interface RewrittenEvent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  storedHash: string;
  publishedHash: string;
}

/**
 * The stored events that differ from Kafka's copy of them, in stream and version order: where a
 * store that no longer matches its anchor was rewritten. Kafka keeps every published event with
 * its hash for good; an event never published (the relay behind) is not compared.
 */
export async function eventsDifferingFromPublished(pool: Pool, kafka: Kafka, topics: readonly string[]): Promise<RewrittenEvent[]> {
  const published = await publishedEvents(kafka, topics);
  const ids = [...published.keys()];
  const differing: RewrittenEvent[] = [];
  for (let from = 0; from < ids.length; from += 5_000) {
    const { rows } = await pool.query<{ event_id: string; stream_id: string; stream_version: number; hash: string }>(
      'SELECT event_id::text, stream_id, stream_version, hash FROM events WHERE event_id = ANY($1::uuid[])',
      [ids.slice(from, from + 5_000)],
    );
    for (const row of rows) {
      const copy = published.get(row.event_id);
      if (copy && copy.hash !== row.hash)
        differing.push({
          streamId: row.stream_id,
          streamVersion: row.stream_version,
          eventId: row.event_id,
          storedHash: row.hash,
          publishedHash: copy.hash,
        });
    }
  }
  return differing.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion));
}
