import type { Pool, QueryConfig, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyError, DuplicateEventIdError, StreamNotFoundError } from './errors';
import type { HashedEventFields, NewEvent, RecordedEvent } from './events';
import { GENESIS_HASH, verifyChain, type ChainVerification } from './hash-chain';
import type { EventMetadata } from './metadata';
import type {
  AggregateOptions,
  AggregateResult,
  AppendOptions,
  AppendResult,
  EventStoreOptions,
  Evolver,
  InTransaction,
  Instant,
  ReadStreamOptions,
} from './event-store-options';
import { crossesSnapshotBoundary, type SnapshotPolicies } from './snapshots';
import { appendParts, assembleCanonical } from './append-input';
import { SpanKind } from '@opentelemetry/api';
import { activeTraceparent, childSpan, endSpan, traceparentOf } from './trace-context';
import {
  MAX_STREAM_VERSION,
  appendManyStatement,
  appendManyWithSnapshotStatement,
  appendOneStatement,
  appendOneWithSnapshotStatement,
  latestSnapshotStatement,
  readStreamStatement,
  streamVersionStatement,
  parseAppended,
  type EventRow,
  type SnapshotRow,
} from './statements';
import { Upcasters } from './upcasters';
import { pgPoolOf } from './pg-pool';

/**
 * The event store of one service database (tables from eventStoreMigrations). Appends are one
 * named prepared statement each, so one round trip; reads apply upcasters; aggregates fold
 * from the latest snapshot. See docs/adr for the design.
 */
export class EventStore {
  private readonly upcasters: Upcasters;
  private readonly snapshots: SnapshotPolicies;
  private readonly preparedStatements: boolean;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new Upcasters();
    this.snapshots = options.snapshots ?? {};
    this.preparedStatements = options.preparedStatements ?? true;
  }

  /**
   * Appends events after `expectedVersion` (0 = the stream must not exist yet), hashing each
   * onto the previous one in the database. Throws ConcurrencyError if the stream is not at that
   * version, DuplicateEventIdError if an event id is already stored; either way nothing is written.
   */
  async append(
    streamId: string,
    streamType: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) throw new RangeError('expectedVersion must be an integer >= 0');
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const hashed = events.map((event, index) => ({
      eventId: event.eventId,
      streamId,
      streamType,
      streamVersion: expectedVersion + index + 1,
      type: event.type,
      schemaVersion: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
      data: event.data,
      metadata: event.metadata,
    }));
    const nextVersion = expectedVersion + events.length;
    const snapshot = this.snapshotToWrite(streamType, expectedVersion, nextVersion, options);
    const span = childSpan(`append ${streamType}`, SpanKind.INTERNAL, {
      'conduct.stream.id': streamId,
      'conduct.stream.version': nextVersion,
      'conduct.events': events.length,
    });
    // The events keep the append's context (outside the hashed fields: which trace appended an
    // event is not part of the record), so the relay's publish, later, continues from this span.
    const traceContext = span ? traceparentOf(span) : activeTraceparent();
    const statement = appendStatement(streamId, streamType, expectedVersion, hashed, snapshot, traceContext);

    let rows: { appended: string }[];
    try {
      rows = await this.query<{ appended: string }>(statement, options.manager);
    } catch (error) {
      const failure = this.appendError(error, streamId, expectedVersion, events);
      // A lost race or a replayed event id is an answer the caller handles, not a fault of the append.
      if (failure instanceof ConcurrencyError) endSpan(span, 'conflict');
      else if (failure instanceof DuplicateEventIdError) endSpan(span, 'duplicate');
      else endSpan(span, 'failed', failure);
      throw failure;
    }
    if (rows.length !== events.length) {
      endSpan(span, 'conflict');
      throw new ConcurrencyError(streamId, expectedVersion, 'ahead');
    }
    endSpan(span, 'appended');

    const assigned = rows.map(parseAppended).sort((a, b) => a.streamVersion - b.streamVersion);
    // Spelled out rather than spread: this runs on every command and object rest/spread is slow.
    const recorded = hashed.map((event, index): RecordedEvent => ({
      position: assigned[index]!.position,
      transactionId: assigned[index]!.transactionId,
      streamId: event.streamId,
      streamType: event.streamType,
      streamVersion: event.streamVersion,
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      recordedAt: assigned[index]!.recordedAt,
      prevHash: assigned[index]!.prevHash,
      hash: assigned[index]!.hash,
    }));
    return {
      nextExpectedVersion: nextVersion,
      positions: recorded.map((event) => event.position),
      events: recorded,
      ...(snapshot ? { snapshotVersion: nextVersion } : {}),
    };
  }

  /** The stream's events in version order ([] for a stream without events), upcast unless told not to. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.query<EventRow>(
      {
        ...readStreamStatement,
        values: [streamId, options.fromVersion ?? 1, options.toVersion ?? MAX_STREAM_VERSION, options.asOf ?? 'infinity'],
      },
      options.manager,
    );
    const upcast = options.upcast ?? true;
    return rows.map((row) => (upcast ? this.upcastEvent(toRecordedEvent(row)) : toRecordedEvent(row)));
  }

  /** The stream's current version (0 if it has no events), or its version at `asOf`. */
  async streamVersion(streamId: string, options: { asOf?: Instant } & InTransaction = {}): Promise<number> {
    return this.versionAt(streamId, MAX_STREAM_VERSION, options.asOf, options.manager);
  }

  /**
   * Recomputes the stream's hash chain from the stored rows (original data, no upcasting):
   * an edited row fails `hash-mismatch`, a removed one `version-gap` or `chain-broken`.
   * Removing the newest events of a stream leaves a shorter chain that is still intact.
   */
  async verifyStream(streamId: string): Promise<ChainVerification> {
    const events = await this.readStream(streamId, { upcast: false });
    if (events.length === 0) throw new StreamNotFoundError(streamId);
    return verifyChain(events, { previous: { streamVersion: 0, hash: GENESIS_HASH } });
  }

  /**
   * Folds the stream into a state (for command handlers: load → decide → append with the
   * returned version). Starts from the latest snapshot at or below the target when the stream
   * type has a snapshot policy. Events reach `evolve` as RecordedEvents after upcasting; the
   * store trusts they belong to the evolver's event union.
   */
  async aggregate<State, Event extends { type: string; data: unknown }>(
    streamId: string,
    evolver: Evolver<State, Event>,
    options: AggregateOptions = {},
  ): Promise<AggregateResult<State>> {
    const target = options.asOf
      ? await this.versionAt(streamId, options.toVersion ?? MAX_STREAM_VERSION, options.asOf, options.manager)
      : (options.toVersion ?? MAX_STREAM_VERSION);
    const snapshot = options.snapshots === false || target === 0 ? undefined : await this.latestSnapshot(streamId, target, options.manager);
    const events =
      target === 0
        ? []
        : await this.readStream(streamId, {
            fromVersion: (snapshot?.version ?? 0) + 1,
            toVersion: target,
            ...(options.manager ? { manager: options.manager } : {}),
          });

    let state = snapshot ? (snapshot.state as State) : evolver.initialState;
    for (const event of events) state = evolver.evolve(state, event as unknown as Event);
    const version = events.at(-1)?.streamVersion ?? snapshot?.version ?? 0;
    if (options.mustExist && version === 0) throw new StreamNotFoundError(streamId);
    return {
      state,
      version,
      eventsFolded: events.length,
      ...(snapshot ? { snapshotVersion: snapshot.version } : {}),
    };
  }

  private snapshotToWrite(
    streamType: string,
    expectedVersion: number,
    nextVersion: number,
    options: AppendOptions,
  ): { schemaVersion: number; state: unknown } | undefined {
    const policy = this.snapshots[streamType];
    if (!policy || !('stateAfter' in options) || !crossesSnapshotBoundary(policy.every, expectedVersion, nextVersion)) return undefined;
    const state = policy.toSnapshot ? policy.toSnapshot(options.stateAfter) : options.stateAfter;
    return { schemaVersion: policy.schemaVersion, state };
  }

  private async latestSnapshot(
    streamId: string,
    atOrBelow: number,
    manager: EntityManager | undefined,
  ): Promise<{ version: number; state: unknown } | undefined> {
    const types = Object.keys(this.snapshots);
    if (types.length === 0) return undefined;
    const [row] = await this.query<SnapshotRow>(
      { ...latestSnapshotStatement, values: [streamId, atOrBelow, types, types.map((type) => this.snapshots[type]!.schemaVersion)] },
      manager,
    );
    if (!row) return undefined;
    const policy = this.snapshots[row.stream_type]!;
    return { version: row.stream_version, state: policy.fromSnapshot ? policy.fromSnapshot(row.state) : row.state };
  }

  private async versionAt(streamId: string, atOrBelow: number, asOf: Instant | undefined, manager?: EntityManager): Promise<number> {
    const [row] = await this.query<{ version: number }>({ ...streamVersionStatement, values: [streamId, atOrBelow, asOf ?? 'infinity'] }, manager);
    return row?.version ?? 0;
  }

  private upcastEvent(event: RecordedEvent): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(event.type, event.schemaVersion, event.data, event.metadata);
    return schemaVersion === event.schemaVersion ? event : { ...event, schemaVersion, data };
  }

  private appendError(error: unknown, streamId: string, expectedVersion: number, events: readonly NewEvent[]): unknown {
    if (!isUniqueViolation(error)) return error;
    if (error.constraint === 'events_stream_version_unique') return new ConcurrencyError(streamId, expectedVersion, 'stale');
    if (error.constraint === 'events_event_id_key')
      return new DuplicateEventIdError(
        streamId,
        events.map((event) => event.eventId),
      );
    return error;
  }

  private async query<Row extends QueryResultRow>({ name, text, values }: QueryConfig, manager?: EntityManager): Promise<Row[]> {
    const result = await this.connection(manager).query<Row>(this.preparedStatements ? { name, text, values } : { text, values });
    return result.rows;
  }

  /**
   * The pg Pool under TypeORM's postgres driver, or the pg client of the caller's transaction:
   * named prepared statements need the pg API, which TypeORM's query() does not expose.
   */
  private connection(manager: EntityManager | undefined): Queryable {
    if (manager) {
      const client: unknown = (manager.queryRunner as unknown as { databaseConnection?: unknown } | undefined)?.databaseConnection;
      if (!isQueryable(client)) throw new Error('EventStore: pass the EntityManager of a running transaction (dataSource.transaction)');
      return client;
    }
    return pgPoolOf(this.dataSource);
  }
}

/** The append statement for these events: the one-event form when it can, the batch form otherwise. */
function appendStatement(
  streamId: string,
  streamType: string,
  expectedVersion: number,
  events: readonly HashedEventFields[],
  snapshot: { schemaVersion: number; state: unknown } | undefined,
  traceContext: string | null,
): QueryConfig {
  const snapshotValues = snapshot ? [snapshot.schemaVersion, JSON.stringify(snapshot.state)] : [];
  const [only] = events;
  if (only && events.length === 1) {
    const parts = appendParts(only);
    const values = [
      streamId,
      streamType,
      expectedVersion,
      only.eventId,
      only.type,
      only.schemaVersion,
      parts.data,
      parts.metadata,
      parts.afterData,
      parts.afterMetadata,
      traceContext,
    ];
    return { ...(snapshot ? appendOneWithSnapshotStatement : appendOneStatement), values: [...values, ...snapshotValues] };
  }
  const values = [streamId, streamType, expectedVersion, events.map((event) => assembleCanonical(appendParts(event))), traceContext];
  return { ...(snapshot ? appendManyWithSnapshotStatement : appendManyStatement), values: [...values, ...snapshotValues] };
}

/** A stored row as the event it records (no upcasting). */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: row.position,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata as EventMetadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

type Queryable = Pick<Pool, 'query'>;

function isQueryable(value: unknown): value is Queryable {
  return typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function';
}

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
