import { EntityManager } from 'typeorm';
import { casesContracts } from '@conduct/cases-contracts';
import { Arrival, EventEnvelope, handlerFor, InboxHandler } from '@conduct/messaging';
import { notificationContracts } from '@conduct/notifications-contracts';
import { ReadModel } from '../read-models/read-model';

const COLUMNS = [
  'case_id',
  'event_id',
  'type',
  'schema_version',
  'stream_id',
  'stream_type',
  'stream_version',
  'occurred_at',
  'recorded_at',
  'actor',
  'correlation_id',
  'causation_id',
  'jurisdiction',
  'data',
  'metadata',
  'prev_hash',
  'hash',
  'topic',
  'partition',
  '"offset"',
];

const ROWS_PER_INSERT = 1_000;

/** One timeline row's values, in COLUMNS' order. */
const rowOf = (caseId: string, { envelope, origin }: Arrival): unknown[] => [
  caseId,
  envelope.eventId,
  envelope.type,
  envelope.schemaVersion,
  envelope.streamId,
  envelope.streamType,
  envelope.streamVersion,
  envelope.occurredAt,
  envelope.recordedAt,
  JSON.stringify(envelope.actor),
  envelope.correlationId,
  envelope.causationId ?? null,
  envelope.jurisdiction ? JSON.stringify(envelope.jurisdiction) : null,
  JSON.stringify(envelope.data),
  envelope.metadata ? JSON.stringify(envelope.metadata) : null,
  envelope.prevHash,
  envelope.hash,
  origin.topic,
  origin.partition,
  origin.offset,
];

/** Case events belong to the case's own stream; events of other streams on the topic (an officer's flag) are not the case's trail. */
const onCaseStream = (envelope: EventEnvelope<object>): string | undefined => {
  const { caseId } = envelope.data as { caseId?: unknown };
  return caseId === envelope.streamId ? caseId : undefined;
};

/** Notices and webhook deliveries name the case they are about, if any. */
const aboutCase = (envelope: EventEnvelope<object>): string | undefined => {
  const { caseId } = envelope.data as { caseId?: unknown };
  return typeof caseId === 'string' && caseId.length > 0 ? caseId : undefined;
};

/** The case each recorded type's event belongs to: case events by their stream, notices by the case they name. */
const caseOf = new Map<string, (envelope: EventEnvelope<object>) => string | undefined>([
  ...Object.keys(casesContracts).map((type): [string, typeof onCaseStream] => [type, onCaseStream]),
  ...Object.keys(notificationContracts).map((type): [string, typeof aboutCase] => [type, aboutCase]),
]);

/**
 * Stores the events of a transaction that belong to a case's timeline, each with its whole
 * envelope — what the hash covers (data, metadata, stream fields) and where it came from on Kafka —
 * so the chain can be verified from the read model alone; in one statement (it was a fifth of a
 * rebuild's time, one insert per event). Recorded as they arrive, not in stream order: the trail
 * shows an event whose predecessor never came, or a second event claiming an applied version, so
 * verification can call the stream incomplete or tampered, where the stream-ordered read models
 * wait (parked) or ignore the stale copy.
 */
async function recordArrivals(arrivals: readonly Arrival[], manager: EntityManager): Promise<void> {
  const rows = arrivals.flatMap((arrival) => {
    const caseId = caseOf.get(arrival.envelope.type)?.(arrival.envelope);
    return caseId === undefined ? [] : [rowOf(caseId, arrival)];
  });
  // PostgreSQL takes at most 65,535 parameters per statement.
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const placeholders = chunk.map((_, row) => `(${COLUMNS.map((_, column) => `$${row * COLUMNS.length + column + 1}`).join(', ')})`);
    await manager.query(
      `INSERT INTO case_timeline (${COLUMNS.join(', ')}) VALUES ${placeholders.join(', ')} ON CONFLICT (case_id, event_id) DO NOTHING`,
      chunk.flat(),
    );
  }
}

/** What the trail does when the event's turn in its stream comes: nothing, it recorded it on arrival. Its contract is still validated. */
const validatedOnly = <C extends Record<string, { schemaVersion: number; data: new () => object }>>(
  contracts: C,
): Record<string, InboxHandler<object>> =>
  Object.fromEntries(Object.keys(contracts).map((type) => [type, handlerFor(contracts, type, () => Promise.resolve())]));

/**
 * `case_timeline`: every event of a case's stream (conduct.cases.v1) and of the notices and
 * webhook deliveries about it (conduct.notifications.v1), envelope and all — what
 * `GET /cases/:caseId/timeline` lists and verifies.
 */
export const caseTimeline: ReadModel = {
  name: 'case-timeline',
  ddl: [
    `CREATE TABLE case_timeline (
       case_id         text        NOT NULL,
       event_id        uuid        NOT NULL,
       type            text        NOT NULL,
       schema_version  integer     NOT NULL,
       stream_id       text        NOT NULL,
       stream_type     text        NOT NULL,
       stream_version  integer     NOT NULL,
       occurred_at     timestamptz NOT NULL,
       recorded_at     timestamptz NOT NULL,
       actor           jsonb       NOT NULL,
       correlation_id  text        NOT NULL,
       causation_id    text,
       jurisdiction    jsonb,
       data            jsonb       NOT NULL,
       metadata        jsonb,
       prev_hash       text        NOT NULL,
       hash            text        NOT NULL,
       topic           text        NOT NULL,
       partition       integer     NOT NULL,
       "offset"        bigint      NOT NULL,
       PRIMARY KEY (case_id, event_id)
     )`,
    `CREATE INDEX case_timeline_order_idx ON case_timeline (case_id, occurred_at, recorded_at, stream_id, stream_version)`,
  ],
  handlers: { ...validatedOnly(casesContracts), ...validatedOnly(notificationContracts) },
  onArrivals: recordArrivals,
};
