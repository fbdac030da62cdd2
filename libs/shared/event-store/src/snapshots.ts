/**
 * Snapshots for one stream type. With `every: N`, an append whose new version crosses a multiple
 * of N and that carries `stateAfter` stores `toSnapshot(stateAfter)` in the same statement.
 * Reads start from the latest snapshot at or below the target version whose schemaVersion equals
 * the policy's: bump `schemaVersion` when the state shape changes and old snapshots are ignored.
 */
export interface SnapshotPolicy<State> {
  every: number;
  schemaVersion: number;
  /** State → JSON-storable value. Defaults to the state itself. */
  toSnapshot?(state: State): unknown;
  /** Stored value → state. Defaults to the stored value itself. */
  fromSnapshot?(snapshot: unknown): State;
}

/** Snapshot policies by stream type. */
export type SnapshotPolicies = Record<string, SnapshotPolicy<unknown>>;

/** True when going from `expectedVersion` to `nextVersion` passes a multiple of `every`. */
export function crossesSnapshotBoundary(every: number, expectedVersion: number, nextVersion: number): boolean {
  return Math.floor(nextVersion / every) > Math.floor(expectedVersion / every);
}
