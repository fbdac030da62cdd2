import { EntityManager } from 'typeorm';
import { casesContracts } from '@conduct/cases-contracts';
import { EventEnvelope, handlerFor, InboxHandler, KafkaOrigin } from '@conduct/messaging';
import { notificationContracts } from '@conduct/notifications-contracts';
import { ReadModel } from '../read-models/read-model';

/**
 * Stores one event of a case's timeline with its whole envelope — what the hash covers (data,
 * metadata, stream fields) and where it came from on Kafka — so the chain can be verified from the
 * read model alone. (The Kafka origin was once read back from the inbox by event id alone, a
 * sequential scan of the whole inbox for every event: 11 ms at 54,000 events, and growing.)
 */
async function record(manager: EntityManager, caseId: string, envelope: EventEnvelope<object>, origin: KafkaOrigin): Promise<void> {
  await manager.query(
    `INSERT INTO case_timeline (case_id, event_id, type, schema_version, stream_id, stream_type, stream_version,
                                occurred_at, recorded_at, actor, correlation_id, causation_id, jurisdiction,
                                data, metadata, prev_hash, hash, topic, partition, "offset")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (case_id, event_id) DO NOTHING`,
    [
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
    ],
  );
}

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

/** What the trail does when the event's turn in its stream comes: nothing, it has recorded it. */
const nothingInStreamOrder = (): Promise<void> => Promise.resolve();

/**
 * Records each event on arrival (`onArrival`), not in stream order: the trail shows an event
 * whose predecessor never came, or a second event claiming an applied version, so verification
 * can call the stream incomplete or tampered, where the stream-ordered read models wait (parked)
 * or ignore the stale copy.
 */
function recorder<C extends Record<string, { schemaVersion: number; data: new () => object }>>(
  contracts: C,
  caseOf: (envelope: EventEnvelope<object>) => string | undefined,
): Record<string, InboxHandler<object>> {
  return Object.fromEntries(
    Object.keys(contracts).map((type): [string, InboxHandler<object>] => [
      type,
      {
        ...handlerFor(contracts, type, nothingInStreamOrder),
        async onArrival(envelope, manager, origin) {
          const caseId = caseOf(envelope);
          if (caseId) await record(manager, caseId, envelope, origin);
        },
      },
    ]),
  );
}

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
  handlers: { ...recorder(casesContracts, onCaseStream), ...recorder(notificationContracts, aboutCase) },
};
