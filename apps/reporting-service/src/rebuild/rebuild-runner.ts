import { Admin, Kafka } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { InboxConsumer, MessagingLogger, sharedGauge } from '@conduct/messaging';
import { Generation, generationGroupId, Generations, Positions, READ_MODEL_TOPICS } from '../generations/generations';
import { partitionProgress, RebuildProgress, topicProgress } from './rebuild-progress';

/** Another rebuild holds the lock: one at a time per database. */
export class RebuildInProgressError extends Error {
  constructor() {
    super('another rebuild of the read models is running on this database');
    this.name = 'RebuildInProgressError';
  }
}

export class RebuildAbortedError extends Error {
  constructor(generation: number) {
    super(`rebuild of generation ${generation} was stopped before it caught up; the next rebuild drops it`);
    this.name = 'RebuildAbortedError';
  }
}

export interface RebuildOptions {
  dataSource: DataSource;
  generations: Generations;
  kafka: Kafka;
  groupPrefix?: string;
  /** Called at most every `progressIntervalMs` while building, and once when caught up. */
  onProgress?: (progress: RebuildProgress) => void;
  progressIntervalMs?: number;
  /** How often the catch-up is checked. */
  pollMs?: number;
  /** Called once the new generation exists (the lock is held): what an API can answer with. */
  onGeneration?: (generation: Generation) => void;
  /** Stops the rebuild (the consumer commits; the building generation is left to be dropped). */
  signal?: AbortSignal;
  logger?: MessagingLogger;
}

export interface RebuildResult {
  generation: number;
  previous: number | null;
  /** Events applied into the new generation (its inbox rows). */
  events: number;
  durationMs: number;
  positions: Positions;
  dropped: number[];
}

const rebuildLag = () => sharedGauge('conduct_read_model_rebuild_lag', 'Messages a running rebuild still has to take in, by topic', ['topic']);

const REBUILD_LOCK = `hashtext('reporting-service read-model rebuild')`;
const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Rebuilds every read model into a new generation (docs/adr/0008-read-model-generations.md): fills
 * it from the beginning of the topics while the service keeps answering from the active one, and
 * switches over once every partition has caught up with a freshly fetched high watermark.
 */
export class RebuildRunner {
  private readonly pollMs: number;
  private readonly progressIntervalMs: number;

  constructor(private readonly options: RebuildOptions) {
    this.pollMs = options.pollMs ?? 200;
    this.progressIntervalMs = options.progressIntervalMs ?? 1000;
  }

  async run(): Promise<RebuildResult> {
    const started = Date.now();
    const lock = await this.lock();
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const { generations } = this.options;
      // Building generations are left only by a rebuild that stopped: nobody reads or fills them.
      await generations.dropObsolete({ keepFrom: 0, abandonedBuilds: true });
      const previous = (await generations.active())?.generation ?? null;
      const generation = await generations.createBuilding();
      this.options.onGeneration?.(generation);
      await this.fill(generation, admin, started);
      await generations.activate(generation.generation);
      const dropped = previous === null ? [] : await generations.dropObsolete({ keepFrom: previous });
      const [{ events }] = await this.options.dataSource.query<[{ events: number }]>(`SELECT count(*)::int AS events FROM ${generation.schemaName}.inbox`);
      return { generation: generation.generation, previous, events, durationMs: Date.now() - started, positions: await generations.positions(generation.generation), dropped };
    } finally {
      await admin.disconnect();
      await this.unlock(lock);
    }
  }

  /**
   * Consumes until caught up, then stops the consumer: stopping commits its offsets, which the live
   * service's consumer of this generation resumes from. Were a commit ever behind, the live
   * consumer would only see some events again, and the inbox ignores them.
   */
  private async fill(generation: Generation, admin: Admin, started: number): Promise<void> {
    const groupId = generationGroupId(this.options.groupPrefix, generation.generation);
    const consumer = this.consumer(generation.generation);
    await consumer.start();
    try {
      // The rate covers the time since the last report.
      let lastReport = { at: started, done: 0 };
      for (;;) {
        if (this.options.signal?.aborted) throw new RebuildAbortedError(generation.generation);
        const progress = await this.progress(generation.generation, groupId, admin, started, lastReport);
        for (const topic of progress.topics) rebuildLag().set({ topic: topic.topic }, topic.lag);
        const now = Date.now();
        if (progress.caughtUp || now - lastReport.at >= this.progressIntervalMs) {
          this.options.onProgress?.(progress);
          lastReport = { at: now, done: progress.topics.reduce((sum, topic) => sum + topic.done, 0) };
        }
        if (progress.caughtUp) return;
        await sleep(this.pollMs);
      }
    } finally {
      await consumer.stop();
    }
  }

  private async progress(generation: number, groupId: string, admin: Admin, started: number, last: { at: number; done: number }): Promise<RebuildProgress> {
    // Watermarks first, then how far we are: caught up then means caught up with everything published before the look.
    const watermarks = await Promise.all(READ_MODEL_TOPICS.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
    const committed = await admin.fetchOffsets({ groupId, topics: READ_MODEL_TOPICS });
    const positions = await this.options.generations.positions(generation);
    const byTopic = watermarks.map(({ topic, partitions }) =>
      partitionProgress(topic, partitions, committed.find((entry) => entry.topic === topic)?.partitions ?? [], positions),
    );
    const topics = byTopic.map((partitions, index) => topicProgress(READ_MODEL_TOPICS[index]!, partitions));
    const now = Date.now();
    const done = topics.reduce((sum, topic) => sum + topic.done, 0);
    const seconds = (now - last.at) / 1000;
    return {
      generation,
      elapsedMs: now - started,
      eventsPerSecond: seconds > 0 ? Math.max(0, done - last.done) / seconds : 0,
      topics,
      caughtUp: byTopic.every((partitions) => partitions.every((p) => p.applied >= p.high)),
    };
  }

  private consumer(generation: number): InboxConsumer {
    return this.options.generations.consumer({
      kafka: this.options.kafka,
      groupPrefix: this.options.groupPrefix,
      generation,
      logger: this.options.logger ?? quiet,
    });
  }

  private async lock(): Promise<QueryRunner> {
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(${REBUILD_LOCK}) AS locked`)) as [{ locked: boolean }];
    if (!locked) {
      await runner.release();
      throw new RebuildInProgressError();
    }
    return runner;
  }

  private async unlock(runner: QueryRunner): Promise<void> {
    try {
      await runner.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK})`);
    } finally {
      await runner.release();
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
