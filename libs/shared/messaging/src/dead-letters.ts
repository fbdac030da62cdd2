import { randomUUID } from 'node:crypto';
import { IHeaders, Kafka } from 'kafkajs';
import { DeadLetterHeaders } from './headers';
import { deadLetterTopic } from './topics';

/** A Kafka message as text: key, value and headers. */
export interface TextMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Kafka headers as text (a repeated header joined with commas). */
export function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(',') : String(value)]),
  );
}

/** A message a consumer moved to `<topic>.dlq`, with where it came from and why. */
export interface DeadLetter extends TextMessage {
  /** `<dlq topic>/<partition>/<offset>`: what `show` and `redrive` take. */
  id: string;
  reason: string;
  consumer: string;
  original: { topic: string; partition: number; offset: string };
}

export function parseDeadLetterId(id: string): { topic: string; partition: number; offset: string } {
  const match = /^(.+\.dlq)\/(\d+)\/(\d+)$/.exec(id);
  if (!match) throw new Error(`"${id}" is not a dead-letter id (<topic>.dlq/<partition>/<offset>, as list shows them)`);
  return { topic: match[1]!, partition: Number(match[2]), offset: match[3]! };
}

/**
 * Every message now in the dead-letter topics of `topics` (each `<topic>.dlq`), oldest first per
 * partition. Reads with a throwaway group up to the end each partition has at the call.
 */
export async function readDeadLetters(kafka: Kafka, topics: string[]): Promise<DeadLetter[]> {
  const dlqs = topics.map(deadLetterTopic);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of dlqs) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic))
        if (Number(high) > Number(low)) ends.set(`${topic}/${partition}`, Number(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `conduct-dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: dlqs, fromBeginning: true });
    const remaining = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read the dead-letter topics within 30 s (${[...remaining].join(', ')} unfinished)`)),
        30_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const headers = textHeaders(message.headers);
            letters.push({
              id: `${topic}/${partition}/${message.offset}`,
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers,
              reason: headers[DeadLetterHeaders.reason] ?? '',
              consumer: headers[DeadLetterHeaders.consumer] ?? '',
              original: {
                topic: headers[DeadLetterHeaders.originalTopic] ?? topic.replace(/\.dlq$/, ''),
                partition: Number(headers[DeadLetterHeaders.originalPartition] ?? -1),
                offset: headers[DeadLetterHeaders.originalOffset] ?? '',
              },
            });
            if (Number(message.offset) + 1 >= (ends.get(`${topic}/${partition}`) ?? 0)) remaining.delete(`${topic}/${partition}`);
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
  return letters.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/**
 * Publishes a dead letter again on its original topic, with its key and its own headers (without
 * the DLQ's): once its cause is fixed, the consumer that parked it applies it; every consumer that
 * already has it finds it in its inbox and changes nothing. The DLQ keeps its record (append-only).
 */
export async function redriveDeadLetter(kafka: Kafka, letter: DeadLetter): Promise<{ topic: string; partition: number; offset: string }> {
  const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('conduct-dlq-')));
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const [result] = await producer.send({
      topic: letter.original.topic,
      acks: -1,
      messages: [{ key: letter.key, value: letter.value, headers: { ...headers, 'conduct-redriven-from': letter.id } }],
    });
    return { topic: letter.original.topic, partition: result?.partition ?? -1, offset: result?.baseOffset ?? '' };
  } finally {
    await producer.disconnect();
  }
}
