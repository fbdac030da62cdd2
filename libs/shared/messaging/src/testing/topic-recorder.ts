import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { TextMessage, textHeaders } from '../dead-letters';

/** A message as a test sees it: text key, value and headers. */
export type RecordedMessage = TextMessage;

export interface TopicRecorder {
  messages: RecordedMessage[];
  stop(): Promise<void>;
}

/** Test support: records every message of the topics from the beginning, once its group joined. */
export async function recordTopics(kafka: Kafka, topics: string[]): Promise<TopicRecorder> {
  const consumer = kafka.consumer({ groupId: `recorder-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const messages: RecordedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const joined = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      remove();
      resolve();
    });
  });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        value: message.value?.toString('utf8') ?? null,
        headers: textHeaders(message.headers),
      });
      return Promise.resolve();
    },
  });
  await joined;
  return { messages, stop: () => consumer.disconnect() };
}
