import { context, Span, SpanKind, trace } from '@opentelemetry/api';
import { EachBatchPayload, IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { endSpan, spanContinuing, TRACEPARENT } from '@conduct/event-store';
import { EventEnvelope } from './envelope';
import { DeadLetterHeaders } from './headers';
import type { InboxConsumerOptions } from './inbox-consumer';
import { Arrival, InboxHandler } from './inbox-handler';
import { describeError, MessagingLogger } from './logger';
import { sharedCounter } from './metrics';
import { StreamPositions } from './stream-positions';
import { deadLetterTopic } from './topics';
import { validateContract, validateEnvelope } from './validation';

/** A plain lower-case PostgreSQL identifier: safe to put in SQL unquoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const MAX_REASON_LENGTH = 2000;
const MAX_BACKOFF_MS = 5000;
/** A commit the coordinator cannot take yet: tried this often, 100 ms apart at first, then up to 2 s (about 20 s in all). */
const COMMIT_ATTEMPTS = 15;
const COMMIT_FIRST_PAUSE_MS = 100;
const COMMIT_MAX_PAUSE_MS = 2_000;
/** Big enough that the commit is a small share of the cost, small enough for a short transaction. */
const DEFAULT_MESSAGES_PER_TRANSACTION = 200;

type Outcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered' | 'parked' | 'conflict';

/** Where a transaction's run stands: the message being handled (a failure is pinned on it). */
interface RunStep {
  at: number;
}

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

const applierMetrics = () => ({
  processed: sharedCounter('conduct_consumer_processed_total', 'Messages taken off Kafka, by outcome', ['consumer', 'type', 'outcome']),
  skipped: sharedCounter('conduct_consumer_skipped_total', 'Messages of an event type the consumer has no handler for', ['consumer', 'type']),
  deadLettered: sharedCounter('conduct_consumer_dead_lettered_total', 'Messages moved to a dead-letter topic', ['consumer', 'topic']),
  conflicts: sharedCounter(
    'conduct_consumer_conflicts_total',
    'Events of a conflicting history (a stream version already applied as another event): not applied',
    ['consumer'],
  ),
});

/** What the applier takes of the consumer's options. */
export type InboxApplierOptions = Pick<
  InboxConsumerOptions,
  | 'dataSource'
  | 'handlers'
  | 'maxAttempts'
  | 'retryBackoffMs'
  | 'messagesPerTransaction'
  | 'searchPath'
  | 'stopBefore'
  | 'inStreamOrder'
  | 'upcasters'
  | 'onApplied'
  | 'onArrivals'
  | 'beforeCommit'
> & {
  consumerName: string;
  logger: MessagingLogger;
  /** Sends dead letters; connected and disconnected by the consumer. */
  producer: Producer;
  /** Called when a batch's offsets could not be committed however long it waited: the consumer rejoins. */
  onCommitFailed?: () => void;
};

/**
 * The inbox half of a consumer: takes the batches kafkajs fetched and applies each event exactly
 * once per consumer name. The inbox row and the handler's effects commit together, so a
 * redelivery finds the row and changes nothing; a message that is not valid JSON, not a valid
 * envelope, or whose data breaks its contract goes to `<topic>.dlq` with the reason in a header,
 * and so does one whose handler keeps failing. Offsets are resolved only after the effects commit.
 */
export class InboxApplier {
  private readonly handlers: Map<string, InboxHandler<object>>;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly messagesPerTransaction: number;
  private readonly logger: MessagingLogger;
  private readonly producer: Producer;
  private readonly metrics = applierMetrics();
  /** Conflicts met in the transaction in hand (event id → the version the stream stood at), logged once it commits. */
  private readonly conflictsMet = new Map<string, number>();

  constructor(private readonly options: InboxApplierOptions) {
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
    this.logger = options.logger;
    this.producer = options.producer;
  }

  private get name(): string {
    return this.options.consumerName;
  }

  /** Applies a batch kafkajs fetched: the consumer's eachBatch. */
  async processBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
    uncommittedOffsets,
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
    await this.commitResolved(commitOffsetsIfNecessary, uncommittedOffsets, progress);
  }

  /**
   * Commits what the batch resolved, before handing it back. kafkajs commits after eachBatch and,
   * when that commit fails, not again until a batch with messages comes: on a quiet partition the
   * group stayed behind for good. A coordinator that is loading or has moved (NOT_COORDINATOR for
   * seconds after a broker's outage) is waited for, a few times; a failed rebalance is left to
   * kafkajs, which rejoins and reads again from the last commit. When the commit still fails after
   * about 20 s, the consumer is told (onCommitFailed: it rejoins as a new member, which does the same).
   */
  private async commitResolved(
    commit: EachBatchPayload['commitOffsetsIfNecessary'],
    uncommitted: EachBatchPayload['uncommittedOffsets'],
    progress: ChunkProgress,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const offsets = uncommitted();
      if (offsets.topics.length === 0) return;
      try {
        await commit(offsets);
        return;
      } catch (error) {
        const retriable = (error as { retriable?: unknown }).retriable === true;
        if (retriable && attempt < COMMIT_ATTEMPTS && progress.owned()) {
          await backOff(COMMIT_FIRST_PAUSE_MS, attempt, COMMIT_MAX_PAUSE_MS);
          continue;
        }
        if (retriable && progress.owned()) {
          this.logger.warn(`consumer "${this.name}" could not commit its offsets after ${attempt} attempts: ${describeError(error)}`);
          this.options.onCommitFailed?.();
        }
        throw error;
      }
    }
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
    const step: RunStep = { at: -1 };
    const spans = run.map((routed) => (routed.kind === 'apply' ? applySpan(this.name, routed) : undefined));
    let outcomes: Outcome[];
    try {
      outcomes = await this.options.dataSource.transaction(async (manager) => {
        await this.useSearchPath(manager);
        return this.applyAllIn(manager, run, step, spans);
      });
    } catch (error) {
      for (const span of spans) endSpan(span, 'rolled back: applied again one by one', error);
      await this.applyOneByOne(run, progress, error, step.at);
      return;
    }
    this.committed(outcomes);
    for (const [index, routed] of run.entries()) {
      endSpan(spans[index], outcomes[index]!);
      this.finish(routed, outcomes[index]!, progress);
    }
  }

  /** Tells the owner (onApplied) that effects of applied events are now committed. */
  private committed(outcomes: Outcome[]): void {
    if (!outcomes.includes('applied')) return;
    try {
      this.options.onApplied?.();
    } catch (error) {
      this.logger.warn(`consumer "${this.name}": onApplied failed: ${describeError(error)}`);
    }
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
    // Counted and logged once committed: a run rolled back and applied again one by one meets it twice.
    if (outcome === 'conflict' && routed.kind === 'apply') {
      const { type, eventId, streamId, streamVersion } = routed.envelope;
      const applied = this.conflictsMet.get(eventId);
      this.conflictsMet.delete(eventId);
      this.metrics.conflicts.inc({ consumer: this.name });
      this.logger.error(
        `consumer "${this.name}": conflicting history: ${type} ${eventId} is version ${streamVersion} of ${streamId}, ` +
          `which this consumer applied already as another event (it stands at ${applied ?? streamVersion}): not applied. Was the publisher's database restored from a backup?`,
      );
    }
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
        await backOff(this.retryBackoffMs, attempt, MAX_BACKOFF_MS);
      }
      attempt += 1;
      const span = applySpan(this.name, routed);
      try {
        const outcome = await this.options.dataSource.transaction(async (manager) => {
          await this.useSearchPath(manager);
          const [outcome] = await this.applyAllIn(manager, [routed], { at: -1 }, [span]);
          return outcome!;
        });
        this.committed([outcome]);
        endSpan(span, outcome);
        return outcome;
      } catch (error) {
        endSpan(span, `attempt ${attempt} failed`, error);
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

  /**
   * Records a run of messages in the inbox and runs their handlers, in the caller's transaction.
   * The bookkeeping is set-based: one statement writes the inbox rows of the whole run, and in
   * stream order one locks and reads the versions of its streams, one reads what is parked for
   * them, and one or two write back what moved. Only the handlers run per event, in order. (Per
   * event, that bookkeeping was four of a read model's six round trips: half of a rebuild.)
   * `step.at` follows the message being handled, so that a failure is pinned on it.
   */
  private async applyAllIn(manager: EntityManager, run: Routed[], step: RunStep, spans: readonly (Span | undefined)[] = []): Promise<Outcome[]> {
    const outcomes: Outcome[] = run.map((routed) => (routed.kind === 'apply' ? 'duplicate' : 'skipped'));
    const arrived = await this.recordArrivals(manager, run);
    const streams = this.options.inStreamOrder
      ? await StreamPositions.lock(
          manager,
          this.name,
          arrived.map((index) => run[index] as Applicable),
        )
      : undefined;
    const { onArrivals } = this.options;
    if (onArrivals && arrived.length > 0) {
      // Which message broke it is unknown here: the one-by-one fallback finds out.
      const arrivals = arrived.map((index): Arrival => {
        const { envelope, source } = run[index] as Applicable;
        return { envelope, origin: { topic: source.topic, partition: source.partition, offset: source.message.offset } };
      });
      await runHandler(() => onArrivals(arrivals, manager));
    }
    for (const index of arrived) {
      step.at = index;
      const { handler, envelope } = run[index] as Applicable;
      // In the message's span: what its handler appends or queues continues the trace.
      await inSpan(spans[index], async () => {
        if (streams) {
          outcomes[index] = await this.applyInStreamOrder(manager, streams, handler, envelope);
        } else {
          await runHandler(() => handler.handle(envelope, manager));
          outcomes[index] = handler === MOVES_STREAM_ON ? 'skipped' : 'applied';
        }
      });
    }
    step.at = -1;
    const { beforeCommit } = this.options;
    // Which message's change broke it is unknown here: the one-by-one fallback finds out.
    if (beforeCommit && arrived.length > 0) await runHandler(() => beforeCommit(manager));
    await streams?.save(manager);
    return outcomes;
  }

  /**
   * Writes the inbox rows of the run's events in one statement; answers the indexes of those that
   * are new (not seen before, nor earlier in the run), in order. A redelivered event finds its row.
   */
  private async recordArrivals(manager: EntityManager, run: Routed[]): Promise<number[]> {
    const firstOfEvent = new Map<string, number>();
    // Keyed as PostgreSQL answers uuids: in lower case.
    run.forEach((routed, index) => {
      const eventId = routed.kind === 'apply' ? routed.envelope.eventId.toLowerCase() : undefined;
      if (eventId !== undefined && !firstOfEvent.has(eventId)) firstOfEvent.set(eventId, index);
    });
    if (firstOfEvent.size === 0) return [];
    const candidates = [...firstOfEvent.values()].map((index) => run[index] as Applicable);
    const column = <T>(value: (routed: Applicable) => T): T[] => candidates.map(value);
    const inserted = await manager.query<{ event_id: string }[]>(
      `INSERT INTO inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset")
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::bigint[])
       ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
      [
        this.name,
        column(({ envelope }) => envelope.eventId),
        column(({ envelope }) => envelope.type),
        column(({ envelope }) => envelope.streamId),
        column(({ envelope }) => envelope.streamVersion),
        column(({ source }) => source.topic),
        column(({ source }) => source.partition),
        column(({ source }) => source.message.offset),
      ],
    );
    const isNew = new Set(inserted.map((row) => row.event_id));
    return [...firstOfEvent]
      .filter(([eventId]) => isNew.has(eventId))
      .map(([, index]) => index)
      .sort((a, b) => a - b);
  }

  /**
   * Applies the event if it is the stream's next version, then any parked ones that now follow;
   * parks it if it comes early. A version applied already, under another event id (the inbox let
   * it through), is a conflicting history: an event store restored from a backup, or forked,
   * handing out a version twice. It is not applied; once the transaction commits (finish) it is
   * counted and logged as an error, so that it is seen (docs/operations.md,
   * ConductConflictingHistory). Not dead-lettered: a test environment whose systems share topics
   * meets such versions by the hundred, and each would cost a send.
   */
  private async applyInStreamOrder(
    manager: EntityManager,
    streams: StreamPositions,
    handler: InboxHandler<object>,
    envelope: EventEnvelope<object>,
  ): Promise<Outcome> {
    const { streamId, streamVersion } = envelope;
    const applied = streams.version(streamId);
    if (streamVersion <= applied) {
      this.conflictsMet.set(envelope.eventId, applied);
      return 'conflict';
    }
    if (streamVersion > applied + 1) {
      await streams.park(manager, envelope);
      this.logger.warn(
        `consumer "${this.name}": ${envelope.type} ${envelope.eventId} is version ${streamVersion} of ${streamId}, which stands at ${applied}: parked until the versions between arrive`,
      );
      return 'parked';
    }
    await runHandler(() => handler.handle(envelope, manager));
    streams.advance(streamId, streamVersion);
    for (let next = streams.takeParked(streamId, streamVersion + 1); next; next = streams.takeParked(streamId, next.envelope.streamVersion + 1)) {
      // It was among the arrivals when it was parked.
      const parked = next;
      await runHandler(() => (this.handlers.get(parked.type) ?? MOVES_STREAM_ON).handle(parked.envelope, manager));
      streams.advance(streamId, parked.envelope.streamVersion);
    }
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

/** The pause after failed attempt `attempt` (1, 2, …): `firstMs`, doubling each time, at most `maxMs`. */
function backOff(firstMs: number, attempt: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(firstMs * 2 ** (attempt - 1), maxMs)));
}

/** Runs a handler in the inbox transaction; its failure is the message's (retried, then dead-lettered). */
async function runHandler(effects: () => Promise<unknown>): Promise<void> {
  try {
    await effects();
  } catch (error) {
    throw new HandlerFailedError('handler failed', { cause: error });
  }
}

/** A span for applying one message, under the publish span its `traceparent` header names. */
function applySpan(consumer: string, { source, envelope }: Applicable): Span | undefined {
  const header = source.message.headers?.[TRACEPARENT];
  const traceparent = Array.isArray(header) ? header[0] : header;
  return spanContinuing(traceparent?.toString(), `apply ${consumer}`, SpanKind.CONSUMER, {
    'messaging.system': 'kafka',
    'messaging.destination.name': source.topic,
    'messaging.operation.type': 'process',
    'messaging.consumer.group.name': consumer,
    'conduct.event.type': envelope.type,
    'conduct.stream.id': envelope.streamId,
    'conduct.stream.version': envelope.streamVersion,
  });
}

function inSpan<T>(span: Span | undefined, work: () => Promise<T>): Promise<T> {
  return span ? context.with(trace.setSpan(context.active(), span), work) : work();
}
