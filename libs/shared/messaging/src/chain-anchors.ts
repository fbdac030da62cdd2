import type { ChainAnchor } from '@conduct/event-store';
import { Kafka } from 'kafkajs';
import { readTopicsToEnd } from './topic-reader';
import { ANCHORS_TOPIC } from './topics';

/**
 * Anchors travel on their own topic, keyed by service, kept forever like every topic: away from
 * the database they commit to, so that whoever can rewrite the database cannot rewrite them.
 */
export async function publishAnchor(kafka: Kafka, anchor: ChainAnchor): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: ANCHORS_TOPIC, acks: -1, messages: [{ key: anchor.service, value: JSON.stringify(anchor) }] });
  } finally {
    await producer.disconnect();
  }
}

/** The latest anchor a service published (undefined before its first), read from the anchors topic. */
export async function latestAnchor(
  kafka: Kafka,
  service: string,
  options: { groupPrefix: string; timeoutMs?: number },
): Promise<ChainAnchor | undefined> {
  let latest: { offset: number; anchor: ChainAnchor } | undefined;
  await readTopicsToEnd(
    kafka,
    [ANCHORS_TOPIC],
    (_topic, _partition, message) => {
      // One key, one partition: the highest offset is the latest.
      if (message.key?.toString() !== service || !message.value) return;
      const offset = Number(message.offset);
      if (!latest || offset > latest.offset) latest = { offset, anchor: JSON.parse(message.value.toString()) as ChainAnchor };
    },
    options,
  );
  return latest?.anchor;
}
