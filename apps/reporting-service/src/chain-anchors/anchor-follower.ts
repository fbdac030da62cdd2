import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Consumer, Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { ANCHORS_TOPIC } from '@conduct/messaging';
import { ReportingServiceConfig } from '../reporting-service.config';
import { AnchoredHeads } from './anchored-heads';

/** How long to wait before trying again when Kafka cannot be reached or the consumer stopped. */
const RESTART_DELAY_MS = 5_000;

/**
 * Follows conduct.anchors.v1 into AnchoredHeads, in the background: a restart waits neither for
 * Kafka nor for the group. Where it stands is kept in the database with what it applied, and each
 * partition resumes there, not at the group's offsets (committed too, for lag to be measured):
 * a restored or new database resumes where its tables are, not where Kafka is.
 */
@Injectable()
export class AnchorFollower implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private stopped = false;
  private restart?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    private readonly heads: AnchoredHeads,
    private readonly config: ReportingServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AnchorFollower.name);
  }

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async follow(): Promise<void> {
    if (this.stopped) return;
    const consumer = this.kafka.consumer({
      groupId: [this.config.KAFKA_GROUP_PREFIX, 'reporting-service', 'anchors'].filter(Boolean).join('.'),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => void this.resume(consumer, payload.memberAssignment[ANCHORS_TOPIC] ?? []));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.again(consumer, payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: ANCHORS_TOPIC, fromBeginning: true });
      // The group's offsets are committed too: what lag metrics and alerts read. Resuming reads the database's.
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const { rewindTo } = await this.heads.apply(partition, message.offset, message.key, message.value);
          // kafkajs drops the rest of the batch and fetches from there.
          if (rewindTo !== undefined) consumer.seek({ topic: ANCHORS_TOPIC, partition, offset: rewindTo });
        },
      });
    } catch (error) {
      this.again(consumer, error);
    }
  }

  /**
   * Moves each partition it was given to where the database says it stands (the start, for one it
   * has not read). Only a shortcut: `apply` takes a partition's messages in order whatever the
   * fetch began with, and says where to rewind to.
   */
  private async resume(consumer: Consumer, partitions: number[]): Promise<void> {
    try {
      const positions = await this.heads.positions();
      for (const partition of partitions) consumer.seek({ topic: ANCHORS_TOPIC, partition, offset: positions.get(partition) ?? '0' });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read where the anchors stand; each message read will say where to rewind to');
    }
  }

  private again(consumer: Consumer, error: unknown): void {
    if (this.stopped) return;
    this.logger.warn({ err: error }, `stopped following ${ANCHORS_TOPIC}; trying again in ${RESTART_DELAY_MS / 1000} s`);
    void consumer.disconnect().catch(() => undefined);
    this.restart = setTimeout(() => void this.follow(), RESTART_DELAY_MS);
  }
}
