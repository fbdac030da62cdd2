import { Admin, Kafka } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { InboxConsumer, MessagingLogger, sharedGauge } from '@conduct/messaging';
import { Generation, generationGroupId, Generations, Positions, READ_MODEL_TOPICS } from '../generations/generations';
import { capToStamp, InvalidStampError, stampDifferences, validateStamp } from '../generations/positions-stamp';
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
  /**
   * How long checking the catch-up may keep failing (Kafka's admin API unreachable: a broker
   * restarting or electing) before the rebuild gives up; default 60 s. The consumer rides out
   * the same outage on its own retries.
   */
  progressOutageLimitMs?: number;
  /** Called once the new generation exists (the lock is held): what an API can answer with. */
  onGeneration?: (generation: Generation) => void;
  /** Stops the rebuild (the consumer commits; the building generation is left to be dropped). */
  signal?: AbortSignal;
  logger?: MessagingLogger;
  /**
   * A report's positions stamp: take in each partition only up to and including its offset (a
   * partition the stamp does not name contributes nothing), and keep the result as a `snapshot`
   * generation instead of switching the service over to it.
   */
  until?: Positions;
}

export interface RebuildResult {
  generation: number;
  /** `active`: the service now answers from it; `snapshot`: rebuilt to `until`, read with `?generation=`. */
  status: 'active' | 'snapshot';
  /** The generation active before (for a snapshot: still active). */
  previous: number | null;
  /** Events applied into the new generation (its inbox rows). */
  events: number;
  durationMs: number;
  positions: Positions;
  dropped: number[];
  /** A snapshot only: where its positions differ from the stamp (empty when it reproduces it exactly). */
  differences?: string[];
}

const rebuildLag = () => sharedGauge('conduct_read_model_rebuild_lag', 'Messages a running rebuild still has to take in, by topic', ['topic']);

const REBUILD_LOCK = `hashtext('reporting-service read-model rebuild')`;
const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Rebuilds every read model into a new generation (docs/adr/0008-read-model-generations.md): fills
 * it from the beginning of the topics while the service keeps answering from the active one, and
 * switches over once every partition has caught up with a freshly fetched high watermark. With
 * `until` it stops each partition at the stamp's offset and keeps the result as a snapshot that
 * reports read on request, so a stamped report can be reproduced after more events arrived.
 */
export class RebuildRunner {
  private readonly pollMs: number;
  private readonly progressIntervalMs: number;

  private readonly until?: Positions;

  constructor(private readonly options: RebuildOptions) {
    this.pollMs = options.pollMs ?? 200;
    this.progressIntervalMs = options.progressIntervalMs ?? 1000;
    if (options.until) this.until = validateStamp(options.until, READ_MODEL_TOPICS);
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
      if (this.until) await this.checkPartitionsExist(this.until, admin);
      const previous = (await generations.active())?.generation ?? null;
      const generation = await generations.createBuilding(this.until);
      this.options.onGeneration?.(generation);
      await this.fill(generation, admin, started);
      let dropped: number[];
      if (this.until) {
        await generations.keepAsSnapshot(generation.generation);
        dropped = await generations.dropReplacedSnapshots();
      } else {
        await generations.activate(generation.generation);
        dropped = previous === null ? [] : await generations.dropObsolete({ keepFrom: previous });
      }
      const [{ events }] = await this.options.dataSource.query<[{ events: number }]>(
        `SELECT count(*)::int AS events FROM ${generation.schemaName}.inbox`,
      );
      const positions = await generations.positions(generation.generation);
      const result = { generation: generation.generation, previous, events, durationMs: Date.now() - started, positions, dropped };
      return this.until ? { ...result, status: 'snapshot', differences: stampDifferences(this.until, positions) } : { ...result, status: 'active' };
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
        const progress = await retryThroughOutage(() => this.progress(generation.generation, groupId, admin, started, lastReport), {
          limitMs: this.options.progressOutageLimitMs ?? 60_000,
          pauseMs: this.pollMs,
          onFailure: (error, failingForMs) =>
            (this.options.logger ?? quiet).warn(
              `rebuild of generation ${generation.generation}: cannot check its progress for ${failingForMs} ms (${String(error)}); retrying`,
            ),
        });
        for (const topic of progress.topics) rebuildLag().set({ topic: topic.topic }, topic.lag);
        const now = Date.now();
        if (progress.caughtUp || now - lastReport.at >= this.progressIntervalMs) {
          this.options.onProgress?.(progress);
          lastReport = { at: now, done: progress.topics.reduce((sum, topic) => sum + topic.done, 0) };
        }
        // Folded as it goes, so that the generation starts out folded when it becomes active.
        await this.options.generations.foldRollups(generation.generation);
        if (progress.caughtUp) return;
        await sleep(this.pollMs);
      }
    } finally {
      await consumer.stop();
    }
  }

  /** A stamp naming a partition the topic does not have is not from this cluster: refused before building anything. */
  private async checkPartitionsExist(stamp: Positions, admin: Admin): Promise<void> {
    for (const [topic, offsets] of Object.entries(stamp)) {
      const partitions = new Set((await admin.fetchTopicOffsets(topic)).map(({ partition }) => String(partition)));
      const unknown = Object.keys(offsets).filter((partition) => !partitions.has(partition));
      if (unknown.length) throw new InvalidStampError(`${topic} has no partition ${unknown.join(', ')} (it has ${partitions.size})`);
    }
  }

  private async progress(
    generation: number,
    groupId: string,
    admin: Admin,
    started: number,
    last: { at: number; done: number },
  ): Promise<RebuildProgress> {
    // Watermarks first, then how far we are: caught up then means caught up with everything published before the look.
    // Up to a stamp, a partition's end is the stamp's offset: the rebuild is done when each reaches it (or the real end).
    const watermarks = await Promise.all(
      READ_MODEL_TOPICS.map(async (topic) => {
        const partitions = await admin.fetchTopicOffsets(topic);
        return { topic, partitions: this.until ? capToStamp(topic, partitions, this.until) : partitions };
      }),
    );
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
      ...(this.until ? { until: this.until } : {}),
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

/**
 * Runs `attempt` until it succeeds. Failures are tolerated while they have lasted less than
 * `limitMs` in a row, pausing `pauseMs` between tries; after that the last failure is thrown.
 */
export async function retryThroughOutage<T>(
  attempt: () => Promise<T>,
  options: { limitMs: number; pauseMs: number; onFailure?: (error: unknown, failingForMs: number) => void },
): Promise<T> {
  let failingSince: number | undefined;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const now = Date.now();
      failingSince ??= now;
      if (now - failingSince >= options.limitMs) throw error;
      options.onFailure?.(error, now - failingSince);
      await sleep(options.pauseMs);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
