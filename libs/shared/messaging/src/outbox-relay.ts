import { Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Admin, Kafka, Message, PartitionMetadata, Partitioners, Producer, RecordMetadata, RetryOptions } from 'kafkajs';
import { spanContinuing, TRACEPARENT, traceparentOf } from '@conduct/event-store';
import { DedicatedSession, openDedicatedSession, poolOf, RelayDatabase } from './dedicated-session';
import { EventRow, toEnvelope, toKafkaMessage } from './envelope';
import { RelayNotActiveError } from './errors';
import { describeError, MessagingLogger, stderrLogger } from './logger';
import { sharedCounter, sharedGauge } from './metrics';

/** Where a row goes; `null` keeps a private event off Kafka (the relay still moves past it). */
export type RelayRoute = { topic: string } | null;

export interface OutboxRelayOptions {
  /** Names the checkpoint and the lock: one active relay per name and database. */
  name: string;
  database: RelayDatabase;
  kafka: Kafka;
  route(row: EventRow): RelayRoute;
  /** Rows per read and per Kafka batch. */
  batchSize?: number;
  /** Pause when caught up; `nudge()` cuts it short. */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lock. */
  lockRetryMs?: number;
  /**
   * How long the database keeps the lock of an active relay it hears nothing from (default 20 s):
   * the relay's session then ends and a standby takes over. Longer than any pause of a healthy one.
   */
  lockLeaseMs?: number;
  /** Pause after a failure (broker or database) before trying again. */
  errorBackoffMs?: number;
  /**
   * How often the lag gauge is recomputed (a count over the unpublished rows), on a timer of its
   * own: a publish stuck on a frozen broker must not freeze the lag with it.
   */
  lagIntervalMs?: number;
  /**
   * Longest a batch may take to reach Kafka, connecting included (default 5 s). A frozen broker
   * keeps its connections open and answers nothing; kafkajs would wait out its request timeout and
   * then retry on the same broker, whose leadership the others took seconds ago. Past this bound
   * the producer is dropped (a new one reads fresh metadata) and the batch goes out again.
   */
  sendTimeoutMs?: number;
  /** Largest sum of message values sent in one produce request (default 512 KiB, half the broker's 1 MB default). */
  maxRequestBytes?: number;
  /** How the producer retries a request (default: the client's); tests may want it to give up sooner. */
  producerRetry?: RetryOptions;
  logger?: MessagingLogger;
}

/** Rows the relay moved past: published to Kafka, or private (routed to null). */
export interface RelayProgress {
  published: number;
  skipped: number;
}

interface Checkpoint {
  transactionId: string;
  position: string;
}

const relayMetrics = () => ({
  published: sharedCounter('conduct_relay_published_total', 'Events the outbox relay published to Kafka', ['relay', 'topic']),
  skipped: sharedCounter('conduct_relay_skipped_total', 'Private events the outbox relay moved past unpublished', ['relay']),
  failures: sharedCounter('conduct_relay_failures_total', 'Relay cycles that failed (broker or database)', ['relay']),
  early: sharedCounter('conduct_relay_early_total', 'Earlier versions of a stream published ahead of their turn, to keep stream order', ['relay']),
  lag: sharedGauge('conduct_relay_lag_events', 'Committed events not yet published (visible rows after the checkpoint)', ['relay']),
  active: sharedGauge('conduct_relay_active', '1 while this relay holds its lock and publishes', ['relay']),
});

const START: Checkpoint = { transactionId: '0', position: '0' };

/** How long stop() lets the step in flight finish: SIGTERM must end a process within 10 s. */
const STOP_WAIT_MS = 5_000;
/** Failed cycles in a row after which the producer is made anew. */
const PRODUCER_RESET_AFTER_FAILURES = 3;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const RELAY_COLUMNS = (alias: string) => `${alias}.position::text AS position, ${alias}.transaction_id::text AS transaction_id,
         ${alias}.stream_id, ${alias}.stream_type, ${alias}.stream_version, ${alias}.event_id::text AS event_id, ${alias}.type,
         ${alias}.schema_version, ${alias}.data, ${alias}.metadata,
         to_char(${alias}.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, ${alias}.prev_hash, ${alias}.hash,
         ${alias}.trace_context`;

/*
 * `batch`: rows of finished transactions only, in (transaction id, position) order. A transaction
 * still running (or any newer one) may commit rows that sort before the ones visible now, so the
 * relay never reads at or past the oldest one.
 * `early`: that order is not stream order. Transaction A starts (its id assigned), B appends v2 of
 * a stream and commits, A appends v3 and commits: v3 sorts first. So for each batch row, the
 * earlier versions of its stream that sort after the batch (committed, or the row could not
 * follow them) are read too, and published first; the checkpoint reaches them again later and
 * republishes them, which consumers' inboxes absorb. One index probe per row when in order.
 */
const READ_BATCH = `
  WITH RECURSIVE
  batch AS (
    SELECT ${RELAY_COLUMNS('e')}, e.transaction_id AS xid, e.position AS pos
      FROM events e
     WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.transaction_id, e.position
     LIMIT $3
  ),
  bound AS (SELECT xid, pos FROM batch ORDER BY xid DESC, pos DESC LIMIT 1),
  early AS (
    SELECT ${RELAY_COLUMNS('e')}, e.transaction_id AS xid, e.position AS pos
      FROM batch b CROSS JOIN bound
      JOIN events e ON e.stream_id = b.stream_id AND e.stream_version = b.stream_version - 1
     WHERE (e.transaction_id, e.position) > (bound.xid, bound.pos)
    UNION ALL
    SELECT ${RELAY_COLUMNS('e')}, e.transaction_id AS xid, e.position AS pos
      FROM early x CROSS JOIN bound
      JOIN events e ON e.stream_id = x.stream_id AND e.stream_version = x.stream_version - 1
     WHERE (e.transaction_id, e.position) > (bound.xid, bound.pos)
  )
  SELECT position, transaction_id, stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata,
         recorded_at, prev_hash, hash, trace_context, false AS early FROM batch
  UNION ALL
  SELECT position, transaction_id, stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata,
         recorded_at, prev_hash, hash, trace_context, true AS early FROM early`;

/** A row the relay read: of the batch, or an earlier version of a batch stream read ahead of its turn. */
type RelayRow = EventRow & { early: boolean };

const SAVE_CHECKPOINT = `
  INSERT INTO relay_checkpoints (name, transaction_id, position) VALUES ($1, $2::xid8, $3::bigint)
  ON CONFLICT (name) DO UPDATE
     SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = clock_timestamp()`;

/**
 * Publishes the `events` table to Kafka (the table is the outbox): at least once, in
 * (transaction id, position) order, so in order per stream; the checkpoint moves only after the
 * broker acknowledged. A session advisory lock keeps one relay active per name and database;
 * the others wait on standby and take over when its connection goes.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lockRetryMs: number;
  private readonly lockLeaseMs: number;
  private readonly errorBackoffMs: number;
  private readonly lagIntervalMs: number;
  private readonly maxRequestBytes: number;
  private readonly sendTimeoutMs: number;
  private readonly logger: MessagingLogger;
  private readonly lockName: string;
  private readonly metrics = relayMetrics();

  private session: DedicatedSession | undefined;
  private checkpoint: Checkpoint = START;
  private producer: Producer | undefined;
  /** Reads topics' partition lists for the partitioner; created with the producer, dropped with it. */
  private admin: Admin | undefined;
  /** Bumped by dropProducer(): a connect that outlives its producer's drop is discarded. */
  private producerGeneration = 0;
  private readonly partitions = new Map<string, PartitionMetadata[]>();
  /** kafkajs's default partitioner (murmur2 of the key, as Java clients): the partition a key always goes to. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private nudged = false;
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private lagTimer: NodeJS.Timeout | undefined;
  private measuringLag = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.lockLeaseMs = options.lockLeaseMs ?? 20_000;
    this.errorBackoffMs = options.errorBackoffMs ?? 500;
    this.lagIntervalMs = options.lagIntervalMs ?? 1000;
    this.maxRequestBytes = options.maxRequestBytes ?? 512 * 1024;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
    this.logger = options.logger ?? stderrLogger;
    this.lockName = `conduct.outbox-relay:${options.name}`;
  }

  get name(): string {
    return this.options.name;
  }

  /** Holds the lock and publishes (as opposed to standing by). */
  get isActive(): boolean {
    return this.session !== undefined && !this.session.failed;
  }

  /** Starts the loop in the background; it stands by until it gets the lock. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
    this.lagTimer = setInterval(() => void this.measureLag(), this.lagIntervalMs).unref();
  }

  /** Finishes the batch in flight, releases the lock and disconnects the producer. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.lagTimer);
    this.wakeUp?.();
    const loop = this.loop ?? Promise.resolve();
    this.loop = undefined;
    const finished = await Promise.race([loop.then(() => true), delay(STOP_WAIT_MS).then(() => false)]);
    if (finished) {
      await this.exclusive(() => this.deactivate(false));
      await this.dropProducer();
      return;
    }
    // A send to a frozen broker waits out its request timeouts; a stopping process does not. Closing
    // the session frees the lock for a standby at once; the step in flight fails on its own later,
    // and the checkpoint it could not save is still right (its rows are published again).
    this.logger.warn(`outbox relay "${this.name}" still busy after ${STOP_WAIT_MS} ms: closing its connections`);
    const session = this.session;
    this.session = undefined;
    session?.release(true);
    this.metrics.active.set({ relay: this.name }, 0);
    await this.dropProducer();
  }

  /** Skips the rest of the poll pause: call after committing events in this process. */
  nudge(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  /**
   * Publishes every row visible now and returns what it moved past. Takes the lock if this
   * relay does not hold it yet (and keeps it until `stop()`); throws RelayNotActiveError if
   * another relay holds it.
   */
  publishPending(): Promise<RelayProgress> {
    return this.exclusive(async () => {
      if (!(await this.activate())) throw new RelayNotActiveError(this.name);
      const total: RelayProgress = { published: 0, skipped: 0 };
      for (;;) {
        const batch = await this.publishBatch();
        total.published += batch.published;
        total.skipped += batch.skipped;
        if (batch.published + batch.skipped < this.batchSize) break;
      }
      await this.measureLag();
      return total;
    });
  }

  private async run(): Promise<void> {
    let failuresInARow = 0;
    let failingSince = 0;
    while (!this.stopping) {
      let pauseMs: number;
      try {
        pauseMs = await this.exclusive(() => this.cycle());
        if (failuresInARow > 0) {
          // The end of an outage, for whoever reads the log after one: how long the relay was held up.
          this.logger.log(`outbox relay "${this.name}" working again after ${failuresInARow} failed attempts over ${Date.now() - failingSince} ms`);
        }
        failuresInARow = 0;
      } catch (error) {
        if (failuresInARow === 0) failingSince = Date.now();
        failuresInARow += 1;
        this.metrics.failures.inc({ relay: this.name });
        this.logger.error(`outbox relay "${this.name}" failed, retrying in ${this.errorBackoffMs} ms: ${describeError(error)}`);
        // The checkpoint in the table is still right; start over from it with a fresh connection,
        // and after a few failures with a fresh producer too (its metadata may name dead brokers).
        await this.exclusive(() => this.deactivate(true));
        if (failuresInARow >= PRODUCER_RESET_AFTER_FAILURES) await this.dropProducer();
        pauseMs = this.errorBackoffMs;
      }
      if (pauseMs > 0 && !this.stopping) await this.pause(pauseMs);
    }
  }

  /** One step of the loop; returns how long to pause before the next. */
  private async cycle(): Promise<number> {
    if (!(await this.activate())) return this.lockRetryMs;
    const { published, skipped } = await this.publishBatch();
    return published + skipped >= this.batchSize ? 0 : this.pollIntervalMs;
  }

  private async activate(): Promise<boolean> {
    if (this.isActive) return true;
    if (this.session) await this.deactivate(true);
    const session = await openDedicatedSession(this.options.database);
    try {
      const [lock] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.lockName]);
      if (!lock?.locked) {
        session.release(false);
        return false;
      }
      // The lock lives as long as the session, and a session cut off by a black hole (a frozen host,
      // a dead link) looks alive and idle to the server forever: the server ends it once it has
      // heard nothing for lockLeaseMs, so a standby takes over. An active relay polls far more often.
      await session.query(`SELECT set_config('idle_session_timeout', $1, false)`, [String(this.lockLeaseMs)]);
      const [saved] = await session.query<{ transaction_id: string; position: string }>(
        'SELECT transaction_id::text AS transaction_id, position::text AS position FROM relay_checkpoints WHERE name = $1',
        [this.name],
      );
      this.checkpoint = saved ? { transactionId: saved.transaction_id, position: saved.position } : START;
      this.session = session;
    } catch (error) {
      session.release(true);
      throw error;
    }
    this.metrics.active.set({ relay: this.name }, 1);
    this.logger.log(`outbox relay "${this.name}" active from (${this.checkpoint.transactionId}, ${this.checkpoint.position})`);
    return true;
  }

  /** Gives up the lock: unlocks a healthy connection, closes one in doubt (closing frees it too). */
  private async deactivate(broken: boolean): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    this.metrics.active.set({ relay: this.name }, 0);
    let close = broken || session.failed;
    if (!close) {
      try {
        await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockName]);
      } catch {
        close = true;
      }
    }
    session.release(close);
  }

  private async publishBatch(): Promise<RelayProgress> {
    const session = this.activeSession();
    const read = await session.query<RelayRow>(READ_BATCH, [this.checkpoint.transactionId, this.checkpoint.position, this.batchSize]);
    const rows = read.filter((row) => !row.early);
    const last = rows.at(-1);
    if (!last) return { published: 0, skipped: 0 };
    const early = read.length - rows.length;
    if (early > 0) this.metrics.early.inc({ relay: this.name }, early);

    // Within a stream, position order is version order (a version is inserted only once the one
    // before it committed), so sorting by position puts every stream in order.
    const inStreamOrder = read.sort((a, b) => comparePositions(a.position, b.position));
    const messagesByTopic = new Map<string, Message[]>();
    const spans: Span[] = [];
    for (const row of inStreamOrder) {
      const route = this.options.route(row);
      if (route === null) continue;
      const messages = messagesByTopic.get(route.topic) ?? [];
      const message = toKafkaMessage(toEnvelope(row));
      const span = publishSpan(row, route.topic);
      if (span) {
        spans.push(span);
        // The consumers continue the trace from the publish: its traceparent travels in the headers.
        const traceparent = traceparentOf(span);
        if (traceparent) message.headers[TRACEPARENT] = traceparent;
      }
      messages.push(message);
      messagesByTopic.set(route.topic, messages);
    }
    const published = [...messagesByTopic.values()].reduce((sum, messages) => sum + messages.length, 0);
    try {
      if (published > 0) await this.sendWithin(messagesByTopic);
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }

    // Only now, after the acknowledgement: a crash before this line republishes the batch.
    await session.query(SAVE_CHECKPOINT, [this.name, last.transaction_id, last.position]);
    this.checkpoint = { transactionId: last.transaction_id, position: last.position };
    for (const [topic, messages] of messagesByTopic) this.metrics.published.inc({ relay: this.name, topic }, messages.length);
    const skipped = read.length - published;
    if (skipped > 0) this.metrics.skipped.inc({ relay: this.name }, skipped);
    return { published, skipped };
  }

  /** send(), or a failure once sendTimeoutMs has passed, with the producer dropped (its metadata and connections are suspect). */
  private async sendWithin(messagesByTopic: Map<string, Message[]>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const progress = { step: 'connecting the producer' };
    const sending = this.send(messagesByTopic, progress);
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), this.sendTimeoutMs);
    });
    try {
      if ((await Promise.race([sending, expired])) !== 'expired') return;
    } finally {
      clearTimeout(timer);
    }
    sending.catch(() => undefined); // abandoned: it may still fail, or even land (a duplicate the inboxes drop)
    await this.dropProducer();
    throw new Error(
      `Kafka did not acknowledge the batch within ${this.sendTimeoutMs} ms (stuck ${progress.step}): publishing it again with a new producer`,
    );
  }

  /**
   * Sends the messages, each with the partition kafkajs's default partitioner picks for its key set
   * explicitly, and checks that Kafka acknowledged a write to every partition it aimed at.
   *
   * One sendBatch across partitions led by different brokers can lose messages in kafkajs: when a
   * leader fails mid-request, the retry regroups the failed partitions under their new leaders and
   * skips every broker that answered the first try, so partitions whose leadership moved to such a
   * broker are never sent, and the call still resolves (seen in the three-broker fault scenario: an
   * event acknowledged and on no topic). A partition missing from the acknowledgements fails the
   * batch, which goes out again from the checkpoint (a duplicate the inboxes drop).
   *
   * In requests of at most maxRequestBytes, one after the other (so each stream stays in order):
   * the broker refuses a record batch over message.max.bytes (1 MB by default) for good, and 200
   * events of a few kilobytes each to one partition come to more.
   */
  private async send(messagesByTopic: Map<string, Message[]>, progress = { step: '' }): Promise<void> {
    const producer = await this.connectedProducer();
    const withPartitions = new Map<string, Message[]>();
    for (const [topic, messages] of messagesByTopic) {
      progress.step = `reading the partitions of ${topic}`;
      const partitions = await this.partitionsOf(topic);
      withPartitions.set(
        topic,
        messages.map((message) => ({ ...message, partition: this.partitioner({ topic, partitionMetadata: partitions, message }) })),
      );
    }
    for (const topicMessages of inRequestsOf(withPartitions, this.maxRequestBytes)) {
      progress.step = `writing to ${[...new Set(topicMessages.flatMap(({ topic, messages }) => messages.map((message) => `${topic}[${message.partition}]`)))].sort().join(', ')}`;
      const acknowledged = await producer.sendBatch({ acks: -1, topicMessages });
      const missing = unacknowledged(topicMessages, acknowledged);
      if (missing.length > 0) throw new Error(`Kafka acknowledged no write to ${missing.join(', ')}: publishing the batch again`);
    }
  }

  /** A topic's partitions, read once per producer (partitions are only ever added, by an operator). */
  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const known = this.partitions.get(topic);
    if (known) return known;
    this.admin ??= this.options.kafka.admin();
    await this.admin.connect();
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitions = [...(metadata?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId);
    if (partitions.length === 0) throw new Error(`topic ${topic} has no partitions`);
    this.partitions.set(topic, partitions);
    return partitions;
  }

  /** Counts the committed rows after the checkpoint, through the pool (the session may be busy). */
  private async measureLag(): Promise<void> {
    if (!this.isActive || this.measuringLag) return;
    this.measuringLag = true;
    const { transactionId, position } = this.checkpoint;
    try {
      const { rows } = await poolOf(this.options.database).query<{ lag: number }>(
        'SELECT count(*)::int AS lag FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)',
        [transactionId, position],
      );
      if (this.isActive) this.metrics.lag.set({ relay: this.name }, rows[0]?.lag ?? 0);
    } catch (error) {
      this.logger.warn(`outbox relay "${this.name}" could not measure its lag: ${describeError(error)}`);
    } finally {
      this.measuringLag = false;
    }
  }

  private activeSession(): DedicatedSession {
    if (!this.session) throw new RelayNotActiveError(this.name);
    return this.session;
  }

  /**
   * One request in flight keeps each partition in order through retries. Not idempotent: the
   * inboxes already drop a duplicate by event id, and an idempotent producer first needs a producer
   * id, which a cluster whose active controller froze did not issue for as long as it stayed frozen
   * (every new producer refused with "coordinator loading"), so a relay that had to make a new one
   * published nothing.
   */
  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const generation = this.producerGeneration;
    const producer = this.options.kafka.producer({
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      ...(this.options.producerRetry ? { retry: this.options.producerRetry } : {}),
    });
    await producer.connect();
    // An abandoned send (past sendTimeoutMs) may finish connecting long after its producer was
    // dropped, e.g. once a frozen broker resumes: it must not become the relay's producer.
    if (generation !== this.producerGeneration) {
      producer.disconnect().catch(() => undefined);
      throw new Error('the producer was dropped while it connected');
    }
    this.producer = producer;
    return producer;
  }

  /** Disconnects the producer (and the admin client), waiting at most a second: its broker may not answer at all. */
  private async dropProducer(): Promise<void> {
    const { producer, admin } = this;
    this.producerGeneration += 1;
    this.producer = undefined;
    this.admin = undefined;
    this.partitions.clear();
    const disconnects = [producer?.disconnect(), admin?.disconnect()].map((step) => (step ?? Promise.resolve()).catch(() => undefined));
    await Promise.race([Promise.all(disconnects), delay(1000)]);
  }

  /** Runs one relay step at a time: the loop and publishPending() share the session. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.exclusiveTail.then(work, work);
    this.exclusiveTail = result.catch(() => undefined);
    return result;
  }

  private pause(ms: number): Promise<void> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.nudged = false;
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

function comparePositions(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The `topic[partition]`s a request aimed at that no acknowledgement names. */
export function unacknowledged(request: { topic: string; messages: Message[] }[], acknowledged: RecordMetadata[]): string[] {
  const written = new Set(acknowledged.map(({ topicName, partition }) => `${topicName}[${partition}]`));
  const aimed = new Set(request.flatMap(({ topic, messages }) => messages.map((message) => `${topic}[${message.partition}]`)));
  return [...aimed].filter((target) => !written.has(target)).sort();
}

/** Splits messages (in publishing order) into produce requests of at most `maxBytes` of values each; a larger message goes alone. */
function inRequestsOf(messagesByTopic: Map<string, Message[]>, maxBytes: number): { topic: string; messages: Message[] }[][] {
  const requests: { topic: string; messages: Message[] }[][] = [];
  let current = new Map<string, Message[]>();
  let bytes = 0;
  for (const [topic, messages] of messagesByTopic) {
    for (const message of messages) {
      const size = typeof message.value === 'string' ? Buffer.byteLength(message.value) : (message.value?.length ?? 0);
      if (bytes > 0 && bytes + size > maxBytes) {
        requests.push([...current].map(([name, list]) => ({ topic: name, messages: list })));
        current = new Map();
        bytes = 0;
      }
      const list = current.get(topic);
      if (list) list.push(message);
      else current.set(topic, [message]);
      bytes += size;
    }
  }
  if (current.size > 0) requests.push([...current].map(([name, list]) => ({ topic: name, messages: list })));
  return requests;
}

/**
 * A span for publishing one event, under the trace of the command that appended it (its stored
 * trace context): the relay publishes later, from another part of the process, yet the trace goes on.
 */
function publishSpan(row: EventRow, topic: string): Span | undefined {
  return spanContinuing(row.trace_context, `publish ${topic}`, SpanKind.PRODUCER, {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': 'send',
    'conduct.event.type': row.type,
    'conduct.stream.id': row.stream_id,
    'conduct.stream.version': row.stream_version,
  });
}
