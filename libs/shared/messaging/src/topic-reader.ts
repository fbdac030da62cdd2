import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

/**
 * Reads every message the topics hold, from the beginning up to the end each partition has when
 * the call starts, with a throwaway consumer group (no offsets of a real group move). For tools
 * that look at a whole topic: the dead-letter CLI, the catch-up after a database restore.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  topics: readonly string[],
  onMessage: (topic: string, partition: number, message: KafkaMessage) => void,
  options: { groupPrefix: string; timeoutMs?: number },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic))
        if (Number(high) > Number(low)) ends.set(`${topic}/${partition}`, Number(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const consumer = kafka.consumer({ groupId: `${options.groupPrefix}-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const remaining = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read ${topics.join(', ')} within ${timeoutMs / 1000} s (${[...remaining].join(', ')} unfinished)`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            // Messages written after the call started are not ours to read.
            if (Number(message.offset) < (ends.get(key) ?? 0)) onMessage(topic, partition, message);
            if (Number(message.offset) + 1 >= (ends.get(key) ?? 0)) remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
