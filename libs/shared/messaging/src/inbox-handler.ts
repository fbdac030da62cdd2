import { EntityManager } from 'typeorm';
import { EventEnvelope } from './envelope';
import { ContractClass } from './validation';

/** How a consumer applies one event type. */
export interface InboxHandler<T extends object = Record<string, unknown>> {
  /** The class that validates `data` (from the publisher's contracts library). */
  contract?: ContractClass<T>;
  /** Only this schema version is accepted; another one goes to the DLQ (it needs an upcaster). */
  schemaVersion?: number;
  /** Reject data with fields the contract does not declare (default: tolerate them). */
  forbidUnknownFields?: boolean;
  /** Runs inside the transaction that records the event in the inbox: write through `manager`. What it answers is ignored. */
  handle(envelope: EventEnvelope<T>, manager: EntityManager): Promise<unknown>;
}

/** An event newly recorded in a consumer's inbox, and where on Kafka it was read from (InboxConsumerOptions.onArrivals). */
export interface Arrival {
  envelope: EventEnvelope<object>;
  origin: KafkaOrigin;
}

/** Where on Kafka an event was read from, as the inbox records it. */
export interface KafkaOrigin {
  topic: string;
  partition: number;
  /** The message's offset (int64, as text). */
  offset: string;
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
  handle: (envelope: EventEnvelope<InstanceType<C[K]['data']>>, manager: EntityManager) => Promise<unknown>,
): InboxHandler<object> {
  const contract: C[K] = contracts[type];
  const handler: InboxHandler<InstanceType<C[K]['data']>> = {
    contract: contract.data as ContractClass<InstanceType<C[K]['data']>>,
    schemaVersion: contract.schemaVersion,
    handle,
  };
  return handler;
}
