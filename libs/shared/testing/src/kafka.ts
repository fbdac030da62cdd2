import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { testInfrastructure } from './infra';

export function testKafka(clientId = 'conduct-test'): Kafka {
  return new Kafka({ clientId, brokers: testInfrastructure().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** Creates uniquely named topics (a fresh name per test keeps tests independent) and returns them. */
export async function createTestTopics(kafka: Kafka, ...bases: string[]): Promise<string[]> {
  const suffix = randomBytes(4).toString('hex');
  const topics = bases.map((base) => `${base}.${suffix}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 3 })) });
  } finally {
    await admin.disconnect();
  }
  return topics;
}
