import { EntityManager } from 'typeorm';
import { Arrival, EventEnvelope, InboxHandler } from '@conduct/messaging';
import { ReadModel } from './read-model';

/**
 * One inbox handler per event type for all read models: the contract is validated once, then
 * each read model's handler runs in turn in the same inbox transaction (all or none apply).
 * Read models that disagree on an event's contract or schema version are a programming error.
 */
export function combineHandlers(readModels: readonly ReadModel[]): Record<string, InboxHandler<object>> {
  const byType = new Map<string, { model: string; handler: InboxHandler<object> }[]>();
  for (const model of readModels) {
    for (const [type, handler] of Object.entries(model.handlers)) {
      byType.set(type, [...(byType.get(type) ?? []), { model: model.name, handler }]);
    }
  }
  return Object.fromEntries([...byType].map(([type, entries]) => [type, combine(type, entries)]));
}

function combine(type: string, entries: { model: string; handler: InboxHandler<object> }[]): InboxHandler<object> {
  const [first, ...others] = entries.map((entry) => entry.handler);
  if (!first) throw new Error(`no handler for ${type}`);
  if (others.length === 0) return first;
  for (const { model, handler } of entries) {
    if (
      handler.contract !== first.contract ||
      handler.schemaVersion !== first.schemaVersion ||
      handler.forbidUnknownFields !== first.forbidUnknownFields
    ) {
      throw new Error(`read model "${model}" validates ${type} differently from "${entries[0]!.model}": use handlerFor with the same contracts`);
    }
  }
  const handlers = entries.map((entry) => entry.handler);
  return {
    ...(first.contract ? { contract: first.contract } : {}),
    ...(first.schemaVersion !== undefined ? { schemaVersion: first.schemaVersion } : {}),
    ...(first.forbidUnknownFields !== undefined ? { forbidUnknownFields: first.forbidUnknownFields } : {}),
    async handle(envelope, manager) {
      for (const handler of handlers) await handler.handle(envelope, manager);
    },
  };
}

/** The read models' `onArrivals`, run in list order in the same inbox transaction; undefined when none has one. */
export function combineArrivals(
  readModels: readonly ReadModel[],
): ((arrivals: readonly Arrival[], manager: EntityManager) => Promise<void>) | undefined {
  const recorders = readModels.flatMap((model) => (model.onArrivals ? [model.onArrivals] : []));
  if (recorders.length === 0) return undefined;
  return async (arrivals, manager) => {
    for (const record of recorders) await record(arrivals, manager);
  };
}

/** The read models' `beforeCommit`, run in list order (a model's rows are written before those of models after it); undefined when none has one. */
export function combineBeforeCommit(readModels: readonly ReadModel[]): ((manager: EntityManager) => Promise<void>) | undefined {
  const writers = readModels.flatMap((model) => (model.beforeCommit ? [model.beforeCommit] : []));
  if (writers.length === 0) return undefined;
  return async (manager) => {
    for (const write of writers) await write(manager);
  };
}

/**
 * Applies events in one transaction as an inbox transaction of a generation does, without the
 * inbox: every read model's onArrivals, each event's handlers in the order given, then beforeCommit.
 * For tests and tools that feed read models directly.
 */
export async function applyToReadModels(
  readModels: readonly ReadModel[],
  envelopes: readonly EventEnvelope<object>[],
  manager: EntityManager,
): Promise<void> {
  const handlers = combineHandlers(readModels);
  const origin = { topic: 'direct', partition: 0, offset: '0' };
  await combineArrivals(readModels)?.(
    envelopes.map((envelope) => ({ envelope, origin })),
    manager,
  );
  for (const envelope of envelopes) {
    const handler = handlers[envelope.type];
    if (!handler) throw new Error(`no read model handles ${envelope.type}`);
    await handler.handle(envelope, manager);
  }
  await combineBeforeCommit(readModels)?.(manager);
}
