import { Consumer, ConsumerConfig, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
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
  /** Runs inside the transaction that records the event in the inbox: write through `manager`. */
  handle(envelope: EventEnvelope<T>, manager: EntityManager): Promise<void>;
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
  handle: (envelope: EventEnvelope<InstanceType<C[K]['data']>>, manager: EntityManager) => Promise<void>,
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
  /** A new group starts at the beginning of the topics (read models need the whole history). */
  fromBeginning?: boolean;
  joinTimeoutMs?: number;
  /** Merged over the low-latency defaults (maxWaitTimeInMs 50, minBytes 1). */
  consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  logger?: MessagingLogger;
  /**
   * A schema to resolve unqualified table names in first (`SET LOCAL search_path TO <schema>,
   * public` at the start of each inbox transaction): the inbox and the handlers' tables then live
   * in that schema, e.g. one generation of rebuildable read models. Default: the connection's path.
   */
  searchPath?: string;
}

/** A plain lower-case PostgreSQL identifier: safe to put in SQL unquoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const MAX_REASON_LENGTH = 2000;
const MAX_BACKOFF_MS = 5000;

type Outcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered';

interface MessageSource {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat: () => Promise<void>;
}

/** Marks a failure of the handler (retried, then dead-lettered) apart from inbox/database ones. */
class HandlerFailedError extends Error {}

const consumerMetrics = () => ({
  processed: sharedCounter('conduct_consumer_processed_total', 'Messages taken off Kafka, by outcome', ['consumer', 'type', 'outcome']),
  skipped: sharedCounter('conduct_consumer_skipped_total', 'Messages of an event type the consumer has no handler for', ['consumer', 'type']),
  deadLettered: sharedCounter('conduct_consumer_dead_lettered_total', 'Messages moved to a dead-letter topic', ['consumer', 'topic']),
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
  private readonly logger: MessagingLogger;
  private readonly metrics = consumerMetrics();
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private started = false;

  constructor(private readonly options: InboxConsumerOptions) {
    if (options.searchPath !== undefined && !SCHEMA_NAME.test(options.searchPath)) {
      throw new Error(`searchPath must be a lower-case schema name (letters, digits, _), got "${options.searchPath}"`);
    }
    this.handlers = new Map(Object.entries(options.handlers));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.logger = options.logger ?? stderrLogger;
    this.consumer = options.kafka.consumer({
      maxWaitTimeInMs: 50,
      minBytes: 1,
      allowAutoTopicCreation: false,
      ...options.consumerConfig,
      groupId: options.groupId,
    });
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.logger.error(`consumer "${this.name}" crashed (restart: ${String(payload.restart)}): ${describeError(payload.error)}`);
    });
  }

  get name(): string {
    return this.options.consumerName;
  }

  /** Resolves once the consumer joined its group and got its partitions. */
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
      await this.stop();
      throw error;
    }
    this.logger.log(`consumer "${this.name}" joined group "${this.options.groupId}" on ${this.options.topics.join(', ')}`);
  }

  /** Lets the batch in flight finish, commits offsets and disconnects. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private groupJoined(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        removeJoin();
        removeCrash();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => settle(new ConsumerJoinTimeoutError(this.name, timeoutMs)), timeoutMs).unref();
      const removeJoin = this.consumer.on(this.consumer.events.GROUP_JOIN, () => settle());
      const removeCrash = this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) settle(payload.error);
      });
    });
  }

  private async processBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.processMessage(batch.topic, batch.partition, message, heartbeat);
      resolveOffset(message.offset);
      await heartbeat();
    }
    this.metrics.lag.set({ consumer: this.name, topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    await commitOffsetsIfNecessary();
  }

  private async processMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const { outcome, type } = await this.dispatch({ topic, partition, message, heartbeat });
    this.metrics.processed.inc({ consumer: this.name, type, outcome });
  }

  /** Parse, validate, route, apply: each failure of the message itself ends in the DLQ. */
  private async dispatch(source: MessageSource): Promise<{ outcome: Outcome; type: string }> {
    const unknownType = 'unknown';
    const { message } = source;
    if (!message.value) return { outcome: await this.deadLetter(source, 'empty message value', unknownType), type: unknownType };
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return { outcome: await this.deadLetter(source, `invalid JSON: ${describeError(error)}`, unknownType), type: unknownType };
    }
    const envelope = await validateEnvelope(parsed);
    if (!envelope.valid) return { outcome: await this.deadLetter(source, `invalid envelope: ${envelope.reason}`, unknownType), type: unknownType };

    const { type, schemaVersion } = envelope.value;
    const handler = this.handlers.get(type);
    if (!handler) {
      this.metrics.skipped.inc({ consumer: this.name, type });
      return { outcome: 'skipped', type };
    }
    if (handler.schemaVersion !== undefined && handler.schemaVersion !== schemaVersion) {
      const reason = `unsupported schema version ${schemaVersion} of ${type} (handles ${handler.schemaVersion})`;
      return { outcome: await this.deadLetter(source, reason, type), type };
    }
    let validated: EventEnvelope<object> = envelope.value;
    if (handler.contract) {
      const data = await validateContract(handler.contract, envelope.value.data, { forbidUnknownFields: handler.forbidUnknownFields ?? false });
      if (!data.valid) return { outcome: await this.deadLetter(source, `invalid data for ${type}: ${data.reason}`, type), type };
      validated = { ...envelope.value, data: data.value };
    }
    return { outcome: await this.applyWithRetries(handler, validated, source), type };
  }

  private async applyWithRetries(
    handler: InboxHandler<object>,
    envelope: EventEnvelope<object>,
    source: MessageSource,
  ): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.apply(handler, envelope, source)) ? 'applied' : 'duplicate';
      } catch (error) {
        // Infrastructure failures (the inbox write itself) are not the message's fault: let
        // kafkajs retry the batch from the last resolved offset instead of dead-lettering.
        if (!(error instanceof HandlerFailedError)) throw error;
        const reason = describeError(error.cause);
        if (attempt >= this.maxAttempts) {
          return this.deadLetter(source, `handler failed after ${attempt} attempts: ${reason}`, envelope.type);
        }
        this.logger.warn(`consumer "${this.name}": ${envelope.type} ${envelope.eventId} attempt ${attempt} failed: ${reason}`);
        await source.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS)));
      }
    }
  }

  /** True if applied now, false if the inbox already had it. */
  private apply(handler: InboxHandler<object>, envelope: EventEnvelope<object>, source: MessageSource): Promise<boolean> {
    return this.options.dataSource.transaction(async (manager) => {
      if (this.options.searchPath) await manager.query(`SET LOCAL search_path TO ${this.options.searchPath}, public`);
      const inserted: unknown = await manager.query(
        `INSERT INTO inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
        [this.name, envelope.eventId, envelope.type, envelope.streamId, envelope.streamVersion, source.topic, source.partition, source.message.offset],
      );
      if (!Array.isArray(inserted) || inserted.length === 0) return false;
      try {
        await handler.handle(envelope, manager);
      } catch (error) {
        throw new HandlerFailedError('handler failed', { cause: error });
      }
      return true;
    });
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
