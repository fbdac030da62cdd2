import { Consumer, ConsumerConfig, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import type { Upcasters } from '@conduct/event-store';
import { EventEnvelope } from './envelope';
import { ConsumerJoinTimeoutError } from './errors';
import { DeadLetterHeaders } from './headers';
import { describeError, MessagingLogger, stderrLogger } from './logger';
import { sharedCounter, sharedGauge } from './metrics';
import { deadLetterTopic } from './topics';
import { ContractClass, validateContract, validateEnvelope } from './validation';

/** How a consumer applies one event type. */
export interface InboxHandler<T extends object = Record<string, unknown>> {
  /** The class that validates `data` (from the publisher's contracts library). */
  contract?: ContractClass<T>;
  /** Only this schema version is accepted; another one goes to the DLQ (it needs an upcaster). */
  schemaVersion?: number;
  /** Reject data with fields the contract does not declare (default: tolerate them). */
  forbidUnknownFields?: boolean;
  /** Runs inside the transaction that records the event in the inbox: write through `manager`. What it answers is ignored. */
  handle(envelope: EventEnvelope<T>, manager: EntityManager): Promise<unknown>;
  /**
   * Runs when the event is first recorded in the inbox, before `handle`, in the same transaction.
   * In a consumer that keeps stream order it runs for every event as it arrives, parked and stale
   * ones too, while `handle` waits for the stream's turn: for a trail that records events as they
   * came and must show a missing or doubled version rather than wait for it.
   */
  onArrival?(envelope: EventEnvelope<T>, manager: EntityManager, origin: KafkaOrigin): Promise<void>;
}

/** Where on Kafka an event was read from, as the inbox records it. */
export interface KafkaOrigin {
  topic: string;
  partition: number;
  /** The message's offset (int64, as text). */
  offset: string;
}

/** Infers the data type from the contract class: `defineHandler({ contract: X, handle(e) {...} })`. */
export const defineHandler = <T extends object>(handler: InboxHandler<T>): InboxHandler<T> => handler;

/** A contracts library's map: event type → current schema version and the class validating `data`. */
export type ContractMap = Record<string, { schemaVersion: number; data: new () => object }>;

/**
 * A handler for one event type of a contracts map, validated by its class and schema version:
 * `handlerFor(approvalContracts, 'ApprovalGranted', async (envelope, manager) => ...)`.
 */
export function handlerFor<C extends ContractMap, K extends keyof C & string>(
  contracts: C,
  type: K,
  handle: (envelope: EventEnvelope<InstanceType<C[K]['data']>>, manager: EntityManager) => Promise<unknown>,
): InboxHandler<object> {
  const contract: C[K] = contracts[type];
  const handler: InboxHandler<InstanceType<C[K]['data']>> = {
    contract: contract.data as ContractClass<InstanceType<C[K]['data']>>,
    schemaVersion: contract.schemaVersion,
    handle,
  };
  return handler;
}

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
   * handler move the stream on too (counted as skipped). Handlers' `onArrival` does not wait.
   */
  inStreamOrder?: boolean;
  /**
   * Upcasters of the events consumed (from the publisher's contracts library): an envelope of an
   * older schema version than its handler takes is brought up to it instead of dead-lettered.
   */
  upcasters?: Upcasters;
}

/** A plain lower-case PostgreSQL identifier: safe to put in SQL unquoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const MAX_REASON_LENGTH = 2000;
const MAX_BACKOFF_MS = 5000;
/** Big enough that the commit is a small share of the cost, small enough for a short transaction. */
const DEFAULT_MESSAGES_PER_TRANSACTION = 200;
const SUPERVISOR_FIRST_PAUSE_MS = 500;
const SUPERVISOR_MAX_PAUSE_MS = 2_000;
/** How long stop() waits for keepRunning()'s loop: SIGTERM must end the process within 10 s. */
const STOP_WAIT_MS = 5_000;
/** Requests kafkajs sends to the group coordinator while the consumer runs. */
const COORDINATOR_REQUESTS = new Set(['Heartbeat', 'OffsetCommit']);

type Outcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered' | 'parked' | 'stale';

/** What a type without a handler does in a consumer that keeps stream order: nothing, but in order. */
const MOVES_STREAM_ON: InboxHandler<object> = { handle: () => Promise.resolve() };

interface MessageSource {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat: () => Promise<void>;
}

/** A message once parsed and validated: what to do with it. */
type Applicable = { kind: 'apply'; source: MessageSource; type: string; handler: InboxHandler<object>; envelope: EventEnvelope<object> };
type Routed =
  Applicable | { kind: 'skip'; source: MessageSource; type: string } | { kind: 'dead-letter'; source: MessageSource; type: string; reason: string };

interface ChunkProgress {
  resolve: (offset: string) => void;
  /** False once the consumer stops or lost the partition: stop taking messages. */
  owned: () => boolean;
}

/** Marks a failure of the handler (retried, then dead-lettered) apart from inbox/database ones. */
class HandlerFailedError extends Error {}

const consumerMetrics = () => ({
  processed: sharedCounter('conduct_consumer_processed_total', 'Messages taken off Kafka, by outcome', ['consumer', 'type', 'outcome']),
  skipped: sharedCounter('conduct_consumer_skipped_total', 'Messages of an event type the consumer has no handler for', ['consumer', 'type']),
  deadLettered: sharedCounter('conduct_consumer_dead_lettered_total', 'Messages moved to a dead-letter topic', ['consumer', 'topic']),
  crashes: sharedCounter('conduct_consumer_crashes_total', 'Times the Kafka client of a consumer crashed and rejoined its group as a new member', [
    'consumer',
  ]),
  coordinatorLost: sharedCounter(
    'conduct_consumer_coordinator_lost_total',
    'Times a consumer rejoined its group as a new member because the group coordinator stopped answering',
    ['consumer'],
  ),
  lag: sharedGauge('conduct_consumer_lag', 'Messages behind the end of the partition after the last batch', ['consumer', 'topic', 'partition']),
});

/**
 * Applies events from Kafka exactly once per consumer name: the inbox row and the handler's
 * effects commit together, so a redelivery finds the row and changes nothing. Messages that
 * are not valid JSON, not a valid envelope, or whose data breaks its contract go to
 * `<topic>.dlq` with the reason in a header, and the consumer moves on.
 */
export class InboxConsumer {
  private readonly handlers: Map<string, InboxHandler<object>>;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly messagesPerTransaction: number;
  private readonly logger: MessagingLogger;
  private readonly metrics = consumerMetrics();
  private readonly producer: Producer;
  private consumer: Consumer;
  private started = false;
  /** The background loop of keepRunning(), its stop flag, and what ends its pause or its wait for a crash. */
  private supervisor: { done: Promise<void>; stopped: boolean } | undefined;
  private wakeSupervisor: (() => void) | undefined;
  private readonly joinedOnce: Promise<void>;
  private markJoined: () => void = () => undefined;
  /** Ends a join in progress when the consumer is stopped meanwhile. */
  private abortJoin: (() => void) | undefined;

  constructor(private readonly options: InboxConsumerOptions) {
    if (options.searchPath !== undefined && !SCHEMA_NAME.test(options.searchPath)) {
      throw new Error(`searchPath must be a lower-case schema name (letters, digits, _), got "${options.searchPath}"`);
    }
    this.handlers = new Map(Object.entries(options.handlers));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.messagesPerTransaction = options.messagesPerTransaction ?? DEFAULT_MESSAGES_PER_TRANSACTION;
    if (!Number.isInteger(this.messagesPerTransaction) || this.messagesPerTransaction < 1) {
      throw new Error(`messagesPerTransaction must be a positive integer, got ${this.messagesPerTransaction}`);
    }
    this.logger = options.logger ?? stderrLogger;
    this.consumer = this.newConsumer();
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false });
    this.joinedOnce = new Promise((resolve) => (this.markJoined = resolve));
  }

  get name(): string {
    return this.options.consumerName;
  }

  /** Resolves once the consumer joined its group and got its partitions; throws if it could not. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      await this.producer.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
      const joined = this.groupJoined(this.options.joinTimeoutMs ?? 30_000);
      joined.catch(() => undefined); // awaited below; marked handled in case run() throws first
      await this.consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.processBatch(payload) });
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
        const ended = await this.until(run, Promise.race([crashed.then(() => 'crashed' as const), lost]));
        if (run.stopped) return;
        if (ended === 'coordinator lost') {
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
      // kafkajs gives a consumer 5 retries (about 5 s at the client's pace) before it crashes and
      // starts over as a new group member, which the group then waits out for a whole session
      // (10 s) while the old member expires. With 30 (about a minute at most 2 s apart) the member
      // rides out a broker's failover or a short outage and carries on as itself.
      retry: { retries: 30 },
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

  private async processBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
    pause,
  }: EachBatchPayload): Promise<void> {
    const progress: ChunkProgress = { resolve: resolveOffset, owned: () => isRunning() && !isStale() };
    const { stopBefore } = this.options;
    const stopAt = stopBefore ? batch.messages.findIndex(({ offset }) => stopBefore({ topic: batch.topic, partition: batch.partition, offset })) : -1;
    // Paused before applying: kafkajs must not fetch past the stop again while this batch runs.
    if (stopAt >= 0) pause();
    const taken = stopAt >= 0 ? batch.messages.slice(0, stopAt) : batch.messages;
    const sources = taken.map((message): MessageSource => ({ topic: batch.topic, partition: batch.partition, message, heartbeat }));
    for (let start = 0; start < sources.length && progress.owned(); start += this.messagesPerTransaction) {
      await this.processChunk(sources.slice(start, start + this.messagesPerTransaction), progress);
      await heartbeat();
    }
    this.metrics.lag.set({ consumer: this.name, topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    await commitOffsetsIfNecessary();
  }

  /**
   * Applies the messages in order: each run of valid ones in one transaction, and a message that
   * goes to the DLQ only once the run before it has committed (as the one-by-one path did).
   */
  private async processChunk(sources: MessageSource[], progress: ChunkProgress): Promise<void> {
    let run: Routed[] = [];
    for (const source of sources) {
      const routed = await this.route(source);
      if (routed.kind !== 'dead-letter') {
        run.push(routed);
        continue;
      }
      await this.applyRun(run, progress);
      run = [];
      if (!progress.owned()) return;
      this.finish(routed, await this.deadLetter(source, routed.reason, routed.type), progress);
    }
    await this.applyRun(run, progress);
  }

  /** Parse, validate, route: each failure of the message itself ends in the DLQ. */
  private async route(source: MessageSource): Promise<Routed> {
    const unknownType = 'unknown';
    const deadLetter = (reason: string, type = unknownType): Routed => ({ kind: 'dead-letter', source, type, reason });
    const { message } = source;
    if (!message.value) return deadLetter('empty message value');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return deadLetter(`invalid JSON: ${describeError(error)}`);
    }
    const envelope = await validateEnvelope(parsed);
    if (!envelope.valid) return deadLetter(`invalid envelope: ${envelope.reason}`);

    const { type } = envelope.value;
    const handler = this.handlers.get(type) ?? (this.options.inStreamOrder ? MOVES_STREAM_ON : undefined);
    if (!handler) return { kind: 'skip', source, type };
    const current = this.upcast(envelope.value, handler);
    if ('reason' in current) return deadLetter(current.reason, type);
    let validated: EventEnvelope<object> = current.envelope;
    if (handler.contract) {
      const data = await validateContract(handler.contract, validated.data, { forbidUnknownFields: handler.forbidUnknownFields ?? false });
      if (!data.valid) return deadLetter(`invalid data for ${type}: ${data.reason}`, type);
      validated = { ...validated, data: data.value };
    }
    return { kind: 'apply', source, type, handler, envelope: validated };
  }

  /**
   * Brings an envelope to the schema version its handler takes: older versions through the
   * upcasters (a rebuild reads the history of every version), a newer one goes to the DLQ.
   */
  private upcast(envelope: EventEnvelope<object>, handler: InboxHandler<object>): { envelope: EventEnvelope<object> } | { reason: string } {
    const { type, schemaVersion } = envelope;
    if (handler.schemaVersion === undefined || handler.schemaVersion === schemaVersion) return { envelope };
    const unsupported = `unsupported schema version ${schemaVersion} of ${type} (handles ${handler.schemaVersion})`;
    if (!this.options.upcasters || schemaVersion > handler.schemaVersion) return { reason: unsupported };
    try {
      const upcast = this.options.upcasters.upcast(
        type,
        schemaVersion,
        envelope.data,
        envelope.metadata ?? { actor: envelope.actor, correlationId: envelope.correlationId, occurredAt: envelope.occurredAt },
      );
      if (upcast.schemaVersion !== handler.schemaVersion) return { reason: `${unsupported}: the upcasters reach version ${upcast.schemaVersion}` };
      return { envelope: { ...envelope, schemaVersion: upcast.schemaVersion, data: upcast.data as object } };
    } catch (error) {
      return { reason: `${unsupported}: ${describeError(error)}` };
    }
  }

  /**
   * One transaction for the whole run: one commit instead of one per message is what makes
   * catching up fast. If anything in it fails, it rolls back and the run is applied one message
   * at a time, so retries, the DLQ and infrastructure errors behave exactly as they do there.
   */
  private async applyRun(run: Routed[], progress: ChunkProgress): Promise<void> {
    if (!run.some((routed) => routed.kind === 'apply')) {
      // Only types without a handler (or nothing): no transaction needed.
      for (const routed of run) this.finish(routed, 'skipped', progress);
      return;
    }
    let failedAt = -1;
    let outcomes: Outcome[];
    try {
      outcomes = await this.options.dataSource.transaction(async (manager) => {
        await this.useSearchPath(manager);
        const applied: Outcome[] = [];
        for (const [index, routed] of run.entries()) {
          failedAt = index;
          applied.push(routed.kind === 'apply' ? await this.applyIn(manager, routed) : 'skipped');
        }
        failedAt = -1;
        return applied;
      });
    } catch (error) {
      await this.applyOneByOne(run, progress, error, failedAt);
      return;
    }
    run.forEach((routed, index) => this.finish(routed, outcomes[index]!, progress));
  }

  private async applyOneByOne(run: Routed[], progress: ChunkProgress, batchError: unknown, failedAt: number): Promise<void> {
    const failed = run[failedAt];
    if (run.length > 1 && failed) {
      const what = failed.kind === 'apply' ? `${failed.type} ${failed.envelope.eventId}` : failed.type;
      this.logger.warn(
        `consumer "${this.name}": a transaction of ${run.length} messages failed at ${what} (${describeError(batchError)}); applying them one at a time`,
      );
    }
    for (const [index, routed] of run.entries()) {
      if (!progress.owned()) return;
      // A handler failure inside the batch counts as that message's first attempt.
      const earlierFailure = index === failedAt && batchError instanceof HandlerFailedError ? batchError : undefined;
      this.finish(routed, routed.kind === 'apply' ? await this.applyWithRetries(routed, earlierFailure) : 'skipped', progress);
    }
  }

  /** Counts the outcome and lets the offset be committed: only after the effects have committed. */
  private finish(routed: Routed, outcome: Outcome, progress: ChunkProgress): void {
    if (outcome === 'skipped') this.metrics.skipped.inc({ consumer: this.name, type: routed.type });
    this.metrics.processed.inc({ consumer: this.name, type: routed.type, outcome });
    progress.resolve(routed.source.message.offset);
  }

  private async applyWithRetries(routed: Applicable, earlierFailure?: HandlerFailedError): Promise<Outcome> {
    let failure = earlierFailure;
    let attempt = earlierFailure ? 1 : 0;
    for (;;) {
      if (failure) {
        const reason = describeError(failure.cause);
        if (attempt >= this.maxAttempts) {
          return this.deadLetter(routed.source, `handler failed after ${attempt} attempts: ${reason}`, routed.type);
        }
        this.logger.warn(`consumer "${this.name}": ${routed.type} ${routed.envelope.eventId} attempt ${attempt} failed: ${reason}`);
        await routed.source.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS)));
      }
      attempt += 1;
      try {
        return await this.options.dataSource.transaction(async (manager) => {
          await this.useSearchPath(manager);
          return this.applyIn(manager, routed);
        });
      } catch (error) {
        // Infrastructure failures (the inbox write itself) are not the message's fault: let
        // kafkajs retry the batch from the last resolved offset instead of dead-lettering.
        if (!(error instanceof HandlerFailedError)) throw error;
        failure = error;
      }
    }
  }

  private async useSearchPath(manager: EntityManager): Promise<void> {
    if (this.options.searchPath) await manager.query(`SET LOCAL search_path TO ${this.options.searchPath}, public`);
  }

  /** Records the event in the inbox and runs its handler, in the caller's transaction. */
  private async applyIn(manager: EntityManager, { handler, envelope, source }: Applicable): Promise<Outcome> {
    const inserted: unknown = await manager.query(
      `INSERT INTO inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
      [this.name, envelope.eventId, envelope.type, envelope.streamId, envelope.streamVersion, source.topic, source.partition, source.message.offset],
    );
    if (!Array.isArray(inserted) || inserted.length === 0) return 'duplicate';
    await runHandler(async () => {
      await handler.onArrival?.(envelope, manager, { topic: source.topic, partition: source.partition, offset: source.message.offset });
    });
    if (this.options.inStreamOrder) return this.applyInStreamOrder(manager, handler, envelope);
    await runHandler(() => handler.handle(envelope, manager));
    return handler === MOVES_STREAM_ON ? 'skipped' : 'applied';
  }

  /**
   * Applies the event if it is the stream's next version, then any parked ones that now follow;
   * parks it if it comes early. The upsert locks the stream's row: one applier per stream at a time.
   */
  private async applyInStreamOrder(manager: EntityManager, handler: InboxHandler<object>, envelope: EventEnvelope<object>): Promise<Outcome> {
    const { streamId, streamVersion } = envelope;
    const [stream] = await manager.query<{ version: number }[]>(
      `INSERT INTO inbox_stream_versions AS s (consumer, stream_id, version) VALUES ($1, $2, 0)
       ON CONFLICT (consumer, stream_id) DO UPDATE SET version = s.version RETURNING version`,
      [this.name, streamId],
    );
    const applied = stream?.version ?? 0;
    if (streamVersion <= applied) {
      this.logger.warn(
        `consumer "${this.name}": ${envelope.type} ${envelope.eventId} is version ${streamVersion} of ${streamId}, which stands at ${applied}: stale, ignored`,
      );
      return 'stale';
    }
    if (streamVersion > applied + 1) {
      await manager.query(
        `INSERT INTO inbox_parked (consumer, stream_id, stream_version, type, envelope) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (consumer, stream_id, stream_version) DO NOTHING`,
        [this.name, streamId, streamVersion, envelope.type, JSON.stringify(envelope)],
      );
      this.logger.warn(
        `consumer "${this.name}": ${envelope.type} ${envelope.eventId} is version ${streamVersion} of ${streamId}, which stands at ${applied}: parked until the versions between arrive`,
      );
      return 'parked';
    }
    await runHandler(() => handler.handle(envelope, manager));
    let version = streamVersion;
    for (;;) {
      const [next] = await manager.query<{ type: string; envelope: EventEnvelope<object> }[]>(
        // As a SELECT: TypeORM answers a bare DELETE … RETURNING with [rows, count], not rows.
        `WITH taken AS (DELETE FROM inbox_parked WHERE consumer = $1 AND stream_id = $2 AND stream_version = $3 RETURNING type, envelope)
         SELECT type, envelope FROM taken`,
        [this.name, streamId, version + 1],
      );
      if (!next) break;
      // Its onArrival ran when it was parked.
      await runHandler(() => (this.handlers.get(next.type) ?? MOVES_STREAM_ON).handle(next.envelope, manager));
      version += 1;
    }
    await manager.query(`UPDATE inbox_stream_versions SET version = $3 WHERE consumer = $1 AND stream_id = $2`, [this.name, streamId, version]);
    return handler === MOVES_STREAM_ON ? 'skipped' : 'applied';
  }

  private async deadLetter({ topic, partition, message }: MessageSource, reason: string, type: string): Promise<Outcome> {
    const headers: IHeaders = {
      ...message.headers,
      [DeadLetterHeaders.reason]: reason.slice(0, MAX_REASON_LENGTH),
      [DeadLetterHeaders.originalTopic]: topic,
      [DeadLetterHeaders.originalPartition]: String(partition),
      [DeadLetterHeaders.originalOffset]: message.offset,
      [DeadLetterHeaders.consumer]: this.name,
    };
    await this.producer.send({ topic: deadLetterTopic(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    this.metrics.deadLettered.inc({ consumer: this.name, topic });
    this.logger.warn(`consumer "${this.name}" dead-lettered ${type} at ${topic}[${partition}]@${message.offset}: ${reason}`);
    return 'dead-lettered';
  }
}

/** Runs a handler in the inbox transaction; its failure is the message's (retried, then dead-lettered). */
async function runHandler(effects: () => Promise<unknown>): Promise<void> {
  try {
    await effects();
  } catch (error) {
    throw new HandlerFailedError('handler failed', { cause: error });
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
