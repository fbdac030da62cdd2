import { MissingUpcasterError } from './errors';
import type { EventMetadata } from './metadata';

/** What an upcaster may look at besides the data (e.g. to fill a new field from occurredAt). */
export interface UpcastContext {
  type: string;
  fromVersion: number;
  metadata: EventMetadata;
}

type StoredUpcaster = (data: unknown, context: UpcastContext) => unknown;

/**
 * Schema evolution on read. For each (event type, schema version) at most one function turns
 * the data of that version into the data of the next; reads apply them in a chain up to the
 * type's current version. Stored rows are never rewritten, so hashes stay verifiable on the
 * original data.
 */
export class Upcasters {
  private readonly byType = new Map<string, Map<number, StoredUpcaster>>();

  /** `upcast` turns data of `fromVersion` into data of `fromVersion + 1`. */
  register<From, To extends object>(type: string, fromVersion: number, upcast: (data: From, context: UpcastContext) => To): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new RangeError(`fromVersion must be an integer >= 1`);
    const steps = this.byType.get(type) ?? new Map<number, StoredUpcaster>();
    if (steps.has(fromVersion)) throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    steps.set(fromVersion, upcast as StoredUpcaster);
    this.byType.set(type, steps);
    return this;
  }

  /** The schema version new events of this type are written in: one past the last upcaster, else 1. */
  currentVersion(type: string): number {
    const steps = this.byType.get(type);
    return steps && steps.size > 0 ? Math.max(...steps.keys()) + 1 : 1;
  }

  /** Brings data of `schemaVersion` up to the current version; versions at or past it pass unchanged. */
  upcast(type: string, schemaVersion: number, data: unknown, metadata: EventMetadata): { schemaVersion: number; data: unknown } {
    const current = this.currentVersion(type);
    let version = schemaVersion;
    let upcast = data;
    while (version < current) {
      const step = this.byType.get(type)?.get(version);
      if (!step) throw new MissingUpcasterError(type, version, current);
      upcast = step(upcast, { type, fromVersion: version, metadata });
      version += 1;
    }
    return { schemaVersion: version, data: upcast };
  }
}
