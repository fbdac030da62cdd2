import { IHeaders, Kafka } from 'kafkajs';
import { DeadLetterHeaders } from './headers';
import { readTopicsToEnd } from './topic-reader';
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
  const letters: DeadLetter[] = [];
  await readTopicsToEnd(
    kafka,
    topics.map(deadLetterTopic),
    (topic, partition, message) => {
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
    },
    { groupPrefix: 'conduct-dlq-reader' },
  );
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
