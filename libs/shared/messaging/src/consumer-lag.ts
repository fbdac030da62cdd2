import { Admin, Kafka } from 'kafkajs';
import { describeError, MessagingLogger } from './logger';
import { sharedGauge } from './metrics';
import { deadLetterTopic } from './topics';

const lagMetrics = () => ({
  lag: sharedGauge(
    'conduct_consumer_lag_messages',
    "Messages of a partition after the consumer group's committed offset, measured on a timer from Kafka",
    ['consumer', 'group', 'topic', 'partition'],
  ),
  measuredAt: sharedGauge(
    'conduct_consumer_lag_measured_timestamp_seconds',
    "When a consumer's lag was last measured (Unix time): old while Kafka cannot be asked",
    ['consumer', 'group'],
  ),
  deadLetters: sharedGauge(
    'conduct_dead_letter_messages',
    'Messages held in a dead-letter topic (`<topic>.dlq`), re-driven ones included: it only grows, so alert on its increase',
    ['topic'],
  ),
});

export interface ConsumerLagMeterOptions {
  kafka: Kafka;
  consumerName: string;
  groupId: string;
  topics: readonly string[];
  /** Where a group that has committed nothing starts: the beginning of each partition, or its end. */
  fromBeginning: boolean;
  intervalMs: number;
  logger: MessagingLogger;
}

/**
 * Measures a consumer group's lag on a timer, from Kafka itself: each partition's end against the
 * offset the group committed. Lag measured after each batch (as it once was) stops changing
 * exactly when a consumer is stuck: no batch, no measure. This one keeps growing while nothing
 * is applied, and `…_measured_timestamp_seconds` says how fresh it is. It also counts what the
 * dead-letter topics of those topics hold.
 */
export class ConsumerLagMeter {
  private readonly metrics = lagMetrics();
  private timer: NodeJS.Timeout | undefined;
  private admin: Admin | undefined;
  private measuring: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly options: ConsumerLagMeterOptions) {}

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.measure(), this.options.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.measuring;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  /** One measurement (a round already running is not doubled); failures are logged once until it works again. */
  measure(): Promise<void> {
    this.measuring ??= this.measureOnce().finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async measureOnce(): Promise<void> {
    const { consumerName: consumer, groupId: group, topics, fromBeginning } = this.options;
    try {
      if (!this.admin) {
        const admin = this.options.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      const committed = await this.admin.fetchOffsets({ groupId: group, topics: [...topics] });
      for (const topic of topics) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        const offsets = new Map(committed.find((entry) => entry.topic === topic)?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
        for (const { partition, low, high } of ends) {
          const done = offsets.get(partition) ?? -1;
          // -1: nothing committed yet; the group reads from the beginning or from the end.
          const from = done >= 0 ? done : fromBeginning ? Number(low) : Number(high);
          this.metrics.lag.set({ consumer, group, topic, partition: String(partition) }, Math.max(0, Number(high) - from));
        }
      }
      await this.measureDeadLetters(this.admin, topics);
      this.metrics.measuredAt.set({ consumer, group }, Date.now() / 1000);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.logger.warn(`consumer "${consumer}": cannot measure its lag (${describeError(error)}); trying again`);
      this.failing = true;
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
    }
  }

  /** What each topic's dead-letter topic holds; one that does not exist (a test's own topic) is left out. */
  private async measureDeadLetters(admin: Admin, topics: readonly string[]): Promise<void> {
    for (const dlq of topics.map(deadLetterTopic)) {
      const ends = await admin.fetchTopicOffsets(dlq).catch(() => undefined);
      if (ends)
        this.metrics.deadLetters.set(
          { topic: dlq },
          ends.reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0),
        );
    }
  }
}
