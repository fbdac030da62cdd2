import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Admin, AssignerProtocol, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { testInfrastructure } from './infra';
import { eventually } from './eventually';

export function testKafka(clientId = 'conduct-test'): Kafka {
  return new Kafka({ clientId, brokers: testInfrastructure().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/**
 * A client that reaches the test broker only through `proxy`, for every connection: the one it
 * bootstraps from and the ones to the addresses the broker advertises. Closing or freezing the
 * proxy is then Kafka going away, or freezing, for this client alone.
 */
export function kafkaThrough(proxy: { port: number }, clientId = 'conduct-test-proxied', options: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: testInfrastructure().kafkaBrokers,
    logLevel: logLevel.NOTHING,
    socketFactory: ({ onConnect }) => {
      const socket = connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
      socket.setKeepAlive(true, 1000);
      return socket;
    },
    ...options,
  });
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

/** Each partition's end offset (the offset the next message will get), per topic, as of now. */
export type TopicEnds = Map<string, Map<number, number>>;

export async function topicEnds(admin: Admin, topics: string[]): Promise<TopicEnds> {
  const ends: TopicEnds = new Map();
  for (const topic of topics) {
    ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((partition) => [partition.partition, Number(partition.high)])));
  }
  return ends;
}

/**
 * Runs an admin call again, a few times 200 ms apart, while Kafka answers an error it marks
 * retriable. kafkajs retries most admin calls itself but not fetchOffsets: a coordinator still
 * loading a group's offsets answers NOT_COORDINATOR, and a fault test's checker failed on it.
 */
export async function whileRetriable<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: unknown }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Where `groupId` has committed short of `ends` ("group at topic[partition] 3 of 7"), or undefined
 * once it has committed up to them everywhere. A partition that held no message has nothing to
 * commit: a group never commits there, so it must not count as behind.
 */
export async function committedShortOf(admin: Admin, groupId: string, ends: TopicEnds): Promise<string | undefined> {
  for (const { topic, partitions } of await whileRetriable(() => admin.fetchOffsets({ groupId, topics: [...ends.keys()] }))) {
    const end = ends.get(topic);
    for (const { partition, offset } of partitions) {
      const target = end?.get(partition) ?? 0;
      if (target > 0 && Number(offset) < target) return `${groupId} at ${topic}[${partition}] ${offset} of ${target}`;
    }
  }
  return undefined;
}

/**
 * The topics among `candidates` that a group reads: from its members' subscriptions while it has
 * members, else those where it has committed an offset (a group whose every member was killed).
 */
export async function groupTopics(admin: Admin, groupId: string, candidates: string[]): Promise<string[]> {
  const [group] = (await whileRetriable(() => admin.describeGroups([groupId]))).groups;
  const subscribed = new Set((group?.members ?? []).flatMap((member) => AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? []));
  if (subscribed.size > 0) return candidates.filter((topic) => subscribed.has(topic));
  const committed = await whileRetriable(() => admin.fetchOffsets({ groupId, topics: candidates }));
  return committed.filter(({ partitions }) => partitions.some(({ offset }) => Number(offset) >= 0)).map(({ topic }) => topic);
}

/**
 * Waits until every consumer group whose id starts with `groupPrefix` has committed offsets up to
 * the end its topics had when this was called. Tests share the real topics, so a service started
 * for a test first reads what earlier tests published; waiting here once keeps each test's own
 * deadlines about its own events.
 */
export async function consumerGroupsCaughtUp(kafka: Kafka, groupPrefix: string, { timeoutMs = 240_000 } = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(groupPrefix));
    // The topics each group reads, from its members' subscriptions: a group that has not
    // committed yet has no offsets to compare, and must not count as caught up.
    // A member still joining may carry no metadata yet (decoding it throws): ask again until all do.
    const subscriptions = await eventually(
      async () => {
        const read = new Map<string, string[]>();
        for (const group of (await admin.describeGroups(groupIds)).groups) {
          const topics = group.members.flatMap((member) => AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? []);
          read.set(group.groupId, [...new Set(topics)]);
        }
        return read;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the subscriptions of the consumer groups' },
    );
    const ends = await topicEnds(admin, [...new Set([...subscriptions.values()].flat())]);
    const endsOf = (groupId: string): TopicEnds => new Map((subscriptions.get(groupId) ?? []).map((topic) => [topic, ends.get(topic)!]));
    await eventually(
      async () => {
        for (const groupId of groupIds) {
          const lagging = await committedShortOf(admin, groupId, endsOf(groupId));
          if (lagging) throw new Error(lagging);
        }
        return true;
      },
      { timeoutMs, intervalMs: 200, what: `consumer groups ${groupPrefix}* to catch up with the topics` },
    );
  } finally {
    await admin.disconnect();
  }
}
