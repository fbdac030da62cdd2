/**
 * Waits until the brokers in KAFKA_BROKERS serve metadata, then creates every Conduct topic
 * (dead-letter topics included) with TOPIC_CONFIG, and applies TOPIC_CONFIG to topics that already
 * existed (partition counts and replication are left as they are). KAFKA_REPLICATION_FACTOR
 * (default 1) and KAFKA_MIN_INSYNC_REPLICAS (default 1) set the copies of each new topic and how
 * many must hold a write before it is acknowledged (kafka.sh passes 3 and 2 for a cluster).
 *   KAFKA_BROKERS=127.0.0.1:9092 node -r @swc-node/register scripts/infra/create-topics.ts [--wait-seconds 60]
 */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
// Relative import: this file is a tool outside the Nx projects and needs only the topic list.
import { TOPIC_CONFIG, TOPIC_PARTITIONS, allTopics } from '../../libs/shared/messaging/src/topics';
import { kafkaSecurityFromEnv } from '../../libs/shared/config/src/service-config';

const RETRY_PAUSE_MS = 250;

function waitSeconds(argv: string[]): number {
  const index = argv.indexOf('--wait-seconds');
  const value = index >= 0 ? Number(argv[index + 1]) : 60;
  if (!Number.isFinite(value) || value <= 0) throw new Error('--wait-seconds needs a positive number');
  return value;
}

/** A positive whole number from the environment, 1 when unset. */
function positive(variable: string): number {
  const value = Number(process.env[variable] ?? 1);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive whole number, got "${process.env[variable]}"`);
  return value;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Retries a step until it succeeds or the deadline passes (the broker may still be starting). */
async function retryUntil<T>(deadline: number, step: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (Date.now() + RETRY_PAUSE_MS > deadline) throw error;
      await pause(RETRY_PAUSE_MS);
    }
  }
}

async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const deadline = Date.now() + waitSeconds(process.argv.slice(2)) * 1000;
  const kafka = new Kafka({
    clientId: 'conduct-create-topics',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
    ...kafkaSecurityFromEnv(),
  });
  const admin = kafka.admin();
  const topics = allTopics();
  try {
    await retryUntil(deadline, () => admin.connect());
    // A KRaft broker accepts connections before it is registered and unfenced: wait for a controller.
    await retryUntil(deadline, async () => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller === null) throw new Error('no broker registered yet');
    });
    const replicationFactor = positive('KAFKA_REPLICATION_FACTOR');
    const config = { ...TOPIC_CONFIG, 'min.insync.replicas': String(positive('KAFKA_MIN_INSYNC_REPLICAS')) };
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    const created = await retryUntil(deadline, () =>
      admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((topic) => ({ topic, numPartitions: TOPIC_PARTITIONS, replicationFactor, configEntries })),
      }),
    );
    // Topics made before a setting was added get it too.
    if (!created) {
      await retryUntil(deadline, () =>
        admin.alterConfigs({ validateOnly: false, resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configEntries })) }),
      );
    }
    // Asking for a group's offsets makes the broker create __consumer_offsets now, not in the first test.
    await retryUntil(deadline, () => admin.fetchOffsets({ groupId: 'conduct-infra-warmup', topics: [topics[0]!] }));
    const metadata = await retryUntil(deadline, () => admin.fetchTopicMetadata({ topics }));
    for (const topic of metadata.topics) {
      if (topic.partitions.length < TOPIC_PARTITIONS) {
        console.warn(`[topics] ${topic.name} has ${topic.partitions.length} partitions (wanted ${TOPIC_PARTITIONS}); left as is`);
      }
    }
    console.log(
      `[topics] ${created ? 'created' : 'already present'}: ${topics.join(', ')} (${TOPIC_PARTITIONS} partitions, replication ${replicationFactor}, min.insync.replicas ${config['min.insync.replicas']})`,
    );
  } catch (error) {
    throw new Error(`Kafka at ${brokers.join(',')} did not accept the topics before the deadline: ${describe(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`[topics] ${describe(error)}`);
  process.exit(1);
});
