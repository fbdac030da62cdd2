import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { InboxConsumer, MessagingLogger, sharedGauge } from '@conduct/messaging';
import { BaseServiceConfig } from '@conduct/config';
import { ReadinessService } from '@conduct/observability';
import { Generations } from './generations';
import { ReadModelStore } from './read-model-store';

/** How often the service looks for a generation a rebuild activated. */
const POLL_MS = 1000;

const followedGauge = () => sharedGauge('conduct_read_model_generation', 'The read-model generation this process answers from and feeds', []);

/**
 * Keeps the active generation current: on start it makes sure one exists (generation 1 on a
 * fresh database) and runs its consumer; when a rebuild activates another generation, it stops
 * that consumer and runs one for the new generation, whose Kafka group already holds the offsets
 * the rebuild committed. Queries follow through ReadModelStore.
 */
@Injectable()
export class GenerationManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private current?: { generation: number; consumer: InboxConsumer; joined: boolean };
  private timer?: NodeJS.Timeout;
  private switching?: Promise<void>;
  private folding?: Promise<void>;
  private readonly log: MessagingLogger;

  constructor(
    private readonly generations: Generations,
    private readonly store: ReadModelStore,
    private readonly kafka: Kafka,
    private readonly config: BaseServiceConfig,
    private readonly logger: PinoLogger,
    @Optional() private readonly readiness?: ReadinessService,
  ) {
    this.logger.setContext('read-model-generations');
    this.log = {
      log: (message) => this.logger.info(message),
      warn: (message) => this.logger.warn(message),
      error: (message) => this.logger.error(message),
    };
  }

  /** The generation this process's consumer writes into. */
  get followedGeneration(): number | undefined {
    return this.current?.generation;
  }

  async onApplicationBootstrap(): Promise<void> {
    const active = await this.generations.ensureActive();
    const upgraded = await this.generations.upgradeAll();
    if (upgraded.length) this.logger.info({ generations: upgraded }, 'brought read-model generations built by an older version up to this one');
    this.follow(active.generation);
    // Reports are served from PostgreSQL whether or not the consumer is in its group yet.
    this.readiness?.register({
      name: 'read-models',
      informational: true,
      check: () => (this.current?.joined ? Promise.resolve() : Promise.reject(new Error('the read-model consumer has not joined its group yet'))),
    });
    this.timer = setInterval(() => {
      void this.checkForSwitch();
      void this.foldRollups();
    }, POLL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.switching;
    await this.folding;
    await this.current?.consumer.stop();
    this.current = undefined;
  }

  /** Follows the active generation if it changed; resolves when done (tests and the admin API await it). */
  checkForSwitch(): Promise<void> {
    this.switching ??= this.switchIfNeeded()
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not follow the active read-model generation'))
      .finally(() => (this.switching = undefined));
    return this.switching;
  }

  /** Folds the followed generation's rollup changes (reports are exact either way; folded, they are faster). */
  foldRollups(): Promise<void> {
    const generation = this.current?.generation;
    if (generation === undefined) return Promise.resolve();
    this.folding ??= this.generations
      .foldRollups(generation)
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error, generation }, 'could not fold the report rollups; will try again'))
      .finally(() => (this.folding = undefined));
    return this.folding;
  }

  private async switchIfNeeded(): Promise<void> {
    const active = await this.generations.active();
    if (!active || active.generation === this.current?.generation) return;
    this.logger.info({ from: this.current?.generation, to: active.generation }, 'switching to a new read-model generation');
    this.store.invalidate();
    await this.current?.consumer.stop();
    this.current = undefined;
    this.follow(active.generation);
  }

  private follow(generation: number): void {
    const consumer = this.generations.consumer({ kafka: this.kafka, groupPrefix: this.config.KAFKA_GROUP_PREFIX, generation, logger: this.log });
    // In the background: a restart must not wait for Kafka, nor for the group to let it in.
    consumer.keepRunning();
    const current: { generation: number; consumer: InboxConsumer; joined: boolean } = { generation, consumer, joined: false };
    void consumer.joined().then(() => (current.joined = true));
    this.current = current;
    followedGauge().set(generation);
  }
}
