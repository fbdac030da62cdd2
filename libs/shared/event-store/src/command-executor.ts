import { randomUUID } from 'node:crypto';
import { Decider, DomainError } from '@conduct/decider';
import type { EventStore } from './event-store';
import type { InTransaction } from './event-store-options';
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

/** With `manager`, the stream is read and appended in the caller's transaction, with what else it writes (a projection, a log). */
export interface ExecuteOptions<State = unknown, Command = unknown> extends InTransaction {
  /** The metadata of the new events; a function may take it from the state (e.g. its jurisdiction). */
  metadata: EventMetadata | ((state: State, command: Command) => EventMetadata);
  /** The version the caller saw (from If-Match); a mismatch fails with StaleVersionError. */
  ifMatchVersion?: number;
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
  command: Command | ((state: State) => Command),
  options: ExecuteOptions<State, Command>,
): Promise<ExecuteResult<State>> {
  const inTransaction = options.manager ? { manager: options.manager } : {};
  const { state, version } = await store.aggregate(stream.id, decider, inTransaction);
  if (options.ifMatchVersion !== undefined && options.ifMatchVersion !== version) {
    throw new StaleVersionError(stream.id, options.ifMatchVersion, version);
  }
  // A function builds the command from the current state: for what the handler must look up
  // outside the stream first (e.g. the policy pack of the case's province).
  const concrete = typeof command === 'function' ? (command as (state: State) => Command)(state) : command;
  const decided = decider.decide(concrete, state);
  if (decided.length === 0) return { state, version, events: [] };
  const metadata = typeof options.metadata === 'function' ? options.metadata(state, concrete) : options.metadata;
  const stateAfter = decided.reduce((s, e) => decider.evolve(s, e), state);
  const appended = await store.append(
    stream.id,
    stream.type,
    version,
    decided.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata })),
    { stateAfter, ...inTransaction },
  );
  return { state: stateAfter, version: appended.nextExpectedVersion, events: appended.events };
}
