import { randomUUID } from 'node:crypto';
import { Decider, DomainError } from '@conduct/decider';
import type { EventStore } from './event-store';
import type { RecordedEvent } from './events';
import type { EventMetadata } from './metadata';

/** The caller's `If-Match` named a version the stream is no longer at (HTTP 412). */
export class StaleVersionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('precondition-failed', 'stream.stale-version', `Stream ${streamId} is at version ${actualVersion}, not ${expectedVersion}`);
    this.name = 'StaleVersionError';
  }
}

export interface StreamRef {
  id: string;
  type: string;
}

export interface ExecuteOptions {
  metadata: EventMetadata;
  /** The version the caller saw (from If-Match); a mismatch fails with StaleVersionError. */
  ifMatchVersion?: number;
  /** Event ids; random by default (tests pass deterministic ones). */
  newEventId?: () => string;
}

export interface ExecuteResult<State> {
  state: State;
  version: number;
  events: RecordedEvent[];
}

/**
 * The one shape every command handler has (docs/adr/0002-deciders.md): load the stream, fold
 * it, decide, append with the version that was folded. A concurrent writer makes the append fail
 * with ConcurrencyError instead of overwriting anything.
 */
export async function executeCommand<Command, State, Event extends { type: string; data: object }>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  stream: StreamRef,
  command: Command,
  options: ExecuteOptions,
): Promise<ExecuteResult<State>> {
  const { state, version } = await store.aggregate(stream.id, decider);
  if (options.ifMatchVersion !== undefined && options.ifMatchVersion !== version) {
    throw new StaleVersionError(stream.id, options.ifMatchVersion, version);
  }
  const decided = decider.decide(command, state);
  if (decided.length === 0) return { state, version, events: [] };
  const stateAfter = decided.reduce((s, e) => decider.evolve(s, e), state);
  const newEventId = options.newEventId ?? randomUUID;
  const appended = await store.append(
    stream.id,
    stream.type,
    version,
    decided.map((event) => ({ eventId: newEventId(), type: event.type, data: event.data, metadata: options.metadata })),
    { stateAfter },
  );
  return { state: stateAfter, version: appended.nextExpectedVersion, events: appended.events };
}
