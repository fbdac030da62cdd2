import { Consumer, ConsumerConfig, Kafka, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import type { Upcasters } from '@conduct/event-store';
import { ConsumerLagMeter } from './consumer-lag';
import { ConsumerJoinTimeoutError } from './errors';
import { InboxApplier } from './inbox-applier';
import { Arrival, InboxHandler } from './inbox-handler';
import { describeError, MessagingLogger, stderrLogger } from './logger';
import { sharedCounter } from './metrics';

export interface InboxConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  /** The inbox key: events are applied once per consumer name. */
  consumerName: string;
  topics: string[];
  handlers: Record<string, InboxHandler<object>>;
  /** Attempts of a throwing handler before its message goes to the DLQ. */
  maxAttempts?: number;
  /** First pause between attempts; it doubles each time, up to 5 s. */
  retryBackoffMs?: number;
  /**
   * Most messages of a fetched batch applied in one transaction (default 200); 1 applies each in
   * its own. A handler failure rolls that transaction back and its messages are applied one by one.
   */
  messagesPerTransaction?: number;
  /**
   * Partitions whose batches are applied at the same time, each in its own transaction (default
   * 1). A partition's messages stay in order; streams never span partitions (the key is the
   * stream id), so only handlers that write rows shared between streams need to think about it.
   */
  partitionsConcurrently?: number;
  /**
   * How often the group's lag is measured from Kafka (`conduct_consumer_lag_messages`), default
   * 5000 ms; 0 turns it off.
   */
  lagIntervalMs?: number;
  /** A new group starts at the beginning of the topics (read models need the whole history). */
  fromBeginning?: boolean;
  joinTimeoutMs?: number;
  /** Merged over the defaults (maxWaitTimeInMs 50, minBytes 1, sessionTimeout 10 s, rebalanceTimeout 3 s, heartbeatInterval 1 s, metadataMaxAge 5 s). */
  consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  logger?: MessagingLogger;
  /**
   * A schema to resolve unqualified table names in first (`SET LOCAL search_path TO <schema>,
   * public` at the start of each inbox transaction): the inbox and the handlers' tables then live
   * in that schema, e.g. one generation of rebuildable read models. Default: the connection's path.
   */
  searchPath?: string;
  /**
   * Where to stop reading, e.g. a rebuild up to a report's positions: true for the first message
   * of a partition not to take in. Neither it nor any later message of that partition (even in
   * the same fetched batch) is applied or committed, and the partition is paused. Default: never.
   */
  stopBefore?: (message: { topic: string; partition: number; offset: string }) => boolean;
  /**
   * Apply each stream's events in version order (default false). An event that arrives ahead of
   * a missing one is parked (table inbox_parked) and applied, in the same transaction, right after
   * the one it waits for; an event at or below the version applied is stale and changes nothing.
   * For read models whose rows carry a version: a guard like `WHERE version < $new` alone drops a
   * late event for good. The consumer must see every event of its streams, so types without a
   * handler move the stream on too (counted as skipped). `onArrivals` does not wait.
   */
  inStreamOrder?: boolean;
  /**
   * Runs once per inbox transaction, before the handlers, with every event it newly recorded
   * (in a consumer that keeps stream order: applied, parked and stale ones alike), in offset order,
   * each validated by its type's handler: for a trail that records events as they came and must
   * show a missing or doubled version rather than wait for it, in one statement per transaction.
   * A failure counts as the handlers': the transaction's messages are then applied one by one.
   */
  onArrivals?: (arrivals: readonly Arrival[], manager: EntityManager) => Promise<void>;
  /**
   * Runs once per inbox transaction that applied anything, after the handlers and before the commit: for
   * handlers that stage their changes in memory (keyed by the transaction's manager) and write them
   * here in a few set-wise statements instead of one round trip per event. A failure counts as
   * the handlers': the transaction's messages are then applied one by one, so it is pinned on one.
   */
  beforeCommit?: (manager: EntityManager) => Promise<void>;
  /**
   * Upcasters of the events consumed (from the publisher's contracts library): an envelope of an
   * older schema version than its handler takes is brought up to it instead of dead-lettered.
   */
  upcasters?: Upcasters;
  /**
   * Called after a transaction that applied at least one event has committed: what a handler
   * queued is visible then to whoever acts on it (a dispatcher nudged to send at once).
   */
  onApplied?: () => void;
}

const SUPERVISOR_FIRST_PAUSE_MS = 500;
const SUPERVISOR_MAX_PAUSE_MS = 2_000;
/** How long stop() waits for keepRunning()'s loop: SIGTERM must end the process within 10 s. */
const STOP_WAIT_MS = 5_000;
/** Requests kafkajs sends to the group coordinator while the consumer runs. */
const COORDINATOR_REQUESTS = new Set(['Heartbeat', 'OffsetCommit']);

const consumerMetrics = () => ({
  crashes: sharedCounter('conduct_consumer_crashes_total', 'Times the Kafka client of a consumer crashed and rejoined its group as a new member', [
    'consumer',
  ]),
  commitFailed: sharedCounter(
    'conduct_consumer_commit_failures_total',
    'Times a consumer rejoined its group as a new member because it could not commit the offsets of what it had applied',
    ['consumer'],
  ),
  coordinatorLost: sharedCounter(
    'conduct_consumer_coordinator_lost_total',
    'Times a consumer rejoined its group as a new member because the group coordinator stopped answering',
    ['consumer'],
  ),
});

/**
 * Applies events from Kafka exactly once per consumer name (the inbox: see InboxApplier). This
 * class is the Kafka half: it joins the consumer group, keeps the membership alive through crashes,
 * broker outages and coordinators that stop answering, and stops within a bounded time.
 */
export class InboxConsumer {
  private readonly logger: MessagingLogger;
  private readonly metrics = consumerMetrics();
  /** Sends the applier's dead letters. */
  private readonly producer: Producer;
  private readonly applier: InboxApplier;
  private readonly lagMeter: ConsumerLagMeter;
  private consumer: Consumer;
  private started = false;
  /** The background loop of keepRunning(), its stop flag, and what ends its pause or its wait for a crash. */
  private supervisor: { done: Promise<void>; stopped: boolean } | undefined;
  private wakeSupervisor: (() => void) | undefined;
  private readonly joinedOnce: Promise<void>;
  private markJoined: () => void = () => undefined;
  /** Ends a join in progress when the consumer is stopped meanwhile. */
  private abortJoin: (() => void) | undefined;
  /** Tells keepRunning()'s loop that a batch's offsets could not be committed. */
  private commitFailed: (() => void) | undefined;

  constructor(private readonly options: InboxConsumerOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false });
    this.applier = new InboxApplier({ ...options, logger: this.logger, producer: this.producer, onCommitFailed: () => this.commitFailed?.() });
    this.consumer = this.newConsumer();
    this.joinedOnce = new Promise((resolve) => (this.markJoined = resolve));
    this.lagMeter = new ConsumerLagMeter({
      kafka: options.kafka,
      consumerName: options.consumerName,
      groupId: options.groupId,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      intervalMs: options.lagIntervalMs ?? 5_000,
      logger: this.logger,
    });
  }

  get name(): string {
    return this.options.consumerName;
  }

  /** Resolves once the consumer joined its group and got its partitions; throws if it could not. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Measured whether or not the group lets us in: lag that grows while we cannot join is the alarm.
    this.lagMeter.start();
    try {
      await this.producer.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
      const joined = this.groupJoined(this.options.joinTimeoutMs ?? 30_000);
      joined.catch(() => undefined); // awaited below; marked handled in case run() throws first
      await this.consumer.run({
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
        eachBatch: (payload) => this.applier.processBatch(payload),
      });
      await joined;
    } catch (error) {
      await this.disconnect();
      throw error;
    }
    this.markJoined();
    this.logger.log(`consumer "${this.name}" joined group "${this.options.groupId}" on ${this.options.topics.join(', ')}`);
  }

  /**
   * Runs the consumer in the background and never gives up: a service must take commands while
   * Kafka is away or its group is slow to let it in (after a kill -9, until the dead member's
   * session expires). A failed join, or a crash kafkajs does not restart from, starts over with
   * a fresh client after a pause that doubles up to 2 s. `joined()` tells when it first got in.
   */
  keepRunning(): void {
    if (this.supervisor) return;
    const supervisor = { done: Promise.resolve(), stopped: false };
    supervisor.done = this.supervise(supervisor);
    this.supervisor = supervisor;
  }

  /** Resolves the first time the consumer has joined its group (start() or keepRunning()). */
  joined(): Promise<void> {
    return this.joinedOnce;
  }

  /**
   * Lets the batch in flight finish, commits offsets and disconnects; ends keepRunning(). Takes at
   * most STOP_WAIT_MS in all: with the broker frozen, the loop's connect and the group leave each
   * waited out their request timeouts, and a SIGTERM took 9 s.
   */
  async stop(): Promise<void> {
    const deadline = Date.now() + STOP_WAIT_MS;
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    if (supervisor) {
      // The loop ends at its next step; a join in progress is cut short rather than waited for.
      supervisor.stopped = true;
      this.wakeSupervisor?.();
      this.abortJoin?.();
      // A connect to a broker that is away can take its retries' time: a stopping process does not
      // wait for it (the loop disconnects what it started once it sees the stop).
      if (!(await finishesBefore(supervisor.done, deadline)))
        this.logger.warn(`consumer "${this.name}" was still connecting after ${STOP_WAIT_MS} ms: stopping without it`);
    }
    await finishesBefore(this.lagMeter.stop(), deadline);
    // Leaving the group asks the coordinator; one that answers nothing is not waited for.
    if (!(await finishesBefore(this.disconnect(), deadline)))
      this.logger.warn(`consumer "${this.name}" had not left its group after ${STOP_WAIT_MS} ms: stopping without it`);
  }

  private async disconnect(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.abortJoin?.();
    await this.consumer
      .disconnect()
      .catch((error: unknown) => this.logger.warn(`consumer "${this.name}" did not disconnect cleanly: ${describeError(error)}`));
    await this.producer.disconnect().catch(() => undefined);
  }

  /**
   * Lets the kafkajs consumer go and makes a new one (the dead-letter producer stays). Waits at
   * most STOP_WAIT_MS: a client stuck on a frozen broker finishes leaving on its own.
   */
  private async replaceClient(): Promise<void> {
    const old = this.consumer;
    this.started = false;
    this.abortJoin?.();
    this.consumer = this.newConsumer();
    const leaving = old
      .disconnect()
      .catch((error: unknown) => this.logger.warn(`consumer "${this.name}" did not disconnect cleanly: ${describeError(error)}`));
    await finishesBefore(leaving, Date.now() + STOP_WAIT_MS);
  }

  /** keepRunning()'s loop; stop() disconnects the client it leaves running. */
  private async supervise(run: { stopped: boolean }): Promise<void> {
    let pauseMs = SUPERVISOR_FIRST_PAUSE_MS;
    while (!run.stopped) {
      try {
        const crashed = this.crashedForGood();
        await this.start();
        if (run.stopped) {
          await this.disconnect();
          return;
        }
        pauseMs = SUPERVISOR_FIRST_PAUSE_MS;
        const lost = this.coordinatorLost();
        const uncommitted = new Promise<'commit failed'>((resolve) => (this.commitFailed = () => resolve('commit failed')));
        const ended = await this.until(run, Promise.race([crashed.then(() => 'crashed' as const), lost, uncommitted]));
        this.commitFailed = undefined;
        if (run.stopped) return;
        if (ended === 'commit failed') {
          // A new member reads again from the last commit; the inbox absorbs what it applies again.
          this.metrics.commitFailed.inc({ consumer: this.name });
          this.logger.error(`consumer "${this.name}" could not commit its offsets: rejoining group "${this.options.groupId}" as a new member`);
        } else if (ended === 'coordinator lost') {
          this.metrics.coordinatorLost.inc({ consumer: this.name });
          this.logger.error(
            `consumer "${this.name}": the coordinator of group "${this.options.groupId}" stopped answering: rejoining through a new one`,
          );
        } else this.logger.error(`consumer "${this.name}" stopped after a crash: starting it again`);
      } catch (error) {
        if (run.stopped) return;
        this.logger.warn(
          `consumer "${this.name}" could not join group "${this.options.groupId}" (${describeError(error)}): retrying in ${pauseMs} ms`,
        );
      }
      await this.replaceClient();
      await this.until(run, new Promise((resolve) => setTimeout(resolve, pauseMs).unref()));
      pauseMs = Math.min(pauseMs * 2, SUPERVISOR_MAX_PAUSE_MS);
    }
  }

  /** Waits for `event` and answers its value, or undefined on stop() (at once if it was already called). */
  private until<T>(run: { stopped: boolean }, event: Promise<T>): Promise<T | undefined> {
    if (run.stopped) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.wakeSupervisor = () => resolve(undefined);
      void event.then(resolve);
    });
  }

  /**
   * Resolves when a request to the group coordinator (a heartbeat, an offset commit) times out.
   * kafkajs looks the coordinator up only when it joins, and moves on only when the coordinator
   * answers with an error: a frozen one answers nothing, so every heartbeat and commit waited out
   * its timeout, and the consumer processed nothing for as long as the broker stayed frozen,
   * although the other brokers had taken over its partitions within seconds. A new client finds
   * the new coordinator (and joins as a new member, once the old one's session has run out).
   */
  private coordinatorLost(): Promise<'coordinator lost'> {
    const consumer = this.consumer;
    return new Promise((resolve) => {
      const remove = consumer.on(consumer.events.REQUEST_TIMEOUT, ({ payload }) => {
        if (!COORDINATOR_REQUESTS.has(payload.apiName)) return;
        remove();
        resolve('coordinator lost');
      });
    });
  }

  /** Resolves when the current kafkajs consumer crashes and will not restart by itself. */
  private crashedForGood(): Promise<void> {
    const consumer = this.consumer;
    return new Promise((resolve) => {
      const remove = consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        remove();
        resolve();
      });
    });
  }

  private newConsumer(): Consumer {
    const consumer = this.options.kafka.consumer({
      maxWaitTimeInMs: 50,
      minBytes: 1,
      // A member killed with kill -9 holds its partitions until its session expires: 10 s, not
      // kafkajs's 30 s, bounds how long a restart waits to rejoin. Heartbeats go between chunks.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // How long a rebalance waits for the members it knows. After a broker's restart the group
      // comes back with members whose clients crashed while it was away and rejoined as new ones:
      // with kafkajs's 60 s the join waited for the old members' sessions (10 s) before anything
      // flowed. Live members hear of a rebalance on their next heartbeat (every second, between
      // chunks of one transaction each), so 3 s is enough for them; one that misses it rejoins
      // in another rebalance, and the inbox dedupes what its successor reads again.
      rebalanceTimeout: 3_000,
      // kafkajs gives a consumer 5 retries (about 2 s at the client's pace) before it crashes and
      // starts over as a new group member, which the group then waits out for a whole session
      // (10 s) while the old member expires. With 120 (about a minute at most 500 ms apart) the
      // member rides out a broker's failover or a short outage and carries on as itself.
      retry: { retries: 120 },
      // kafkajs refreshes a consumer's metadata on a few errors only, not on a request timing out:
      // with a broker frozen, it fetched from that broker again and again until the metadata aged
      // out (5 minutes by default). Refreshed every 5 s, the metadata names the new leaders once
      // the cluster has fenced the frozen broker.
      metadataMaxAge: 5_000,
      allowAutoTopicCreation: false,
      ...this.options.consumerConfig,
      groupId: this.options.groupId,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.metrics.crashes.inc({ consumer: this.name });
      this.logger.error(`consumer "${this.name}" crashed (restart: ${String(payload.restart)}): ${describeError(payload.error)}`);
    });
    return consumer;
  }

  private groupJoined(timeoutMs: number): Promise<void> {
    const consumer = this.consumer;
    return new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.abortJoin = undefined;
        removeJoin();
        removeCrash();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => settle(new ConsumerJoinTimeoutError(this.name, timeoutMs)), timeoutMs).unref();
      this.abortJoin = () => settle(new Error(`consumer "${this.name}" was stopped before it joined its group`));
      const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => settle());
      const removeCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) settle(payload.error);
      });
    });
  }
}

/** Whether `work` settles before `deadline` (epoch ms); it goes on either way, unwatched. */
function finishesBefore(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  return Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}
