import { DomainError } from '@conduct/decider';

/**
 * The stream is not at the expected version: someone else appended first (`stale`), or the
 * caller expected events that do not exist (`ahead`). Nothing was written. A DomainError of kind
 * `conflict`, so the HTTP layer answers 409 (or 412 when the version came from If-Match).
 */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly reason: 'stale' | 'ahead',
  ) {
    super(
      'conflict',
      'stream.version-conflict',
      reason === 'stale' ? `Stream ${streamId} has moved past version ${expectedVersion}` : `Stream ${streamId} has no version ${expectedVersion}`,
    );
    this.name = 'ConcurrencyError';
  }
}

/** The stream has no events (at the requested version or time). A DomainError of kind `not-found`. */
export class StreamNotFoundError extends DomainError {
  constructor(readonly streamId: string) {
    super('not-found', 'stream.not-found', `Stream ${streamId} does not exist`);
    this.name = 'StreamNotFoundError';
  }
}

/** An event with this id is already stored (event ids are unique across all streams). Nothing was written. */
export class DuplicateEventIdError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super('conflict', 'event.duplicate-id', `One of the events ${eventIds.join(', ')} is already stored`);
    this.name = 'DuplicateEventIdError';
  }
}

/** A stored event is older than its type's current schema version and no upcaster bridges the gap. */
export class MissingUpcasterError extends Error {
  constructor(
    readonly type: string,
    readonly fromVersion: number,
    readonly currentVersion: number,
  ) {
    super(`No upcaster for ${type} from schema version ${fromVersion} (current is ${currentVersion})`);
    this.name = 'MissingUpcasterError';
  }
}
