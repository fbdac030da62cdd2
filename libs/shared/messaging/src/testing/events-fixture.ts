import { randomUUID } from 'node:crypto';
import { IsNotEmpty, IsString } from 'class-validator';
import { computeEventHash, EventMetadata, GENESIS_HASH } from '@conduct/event-store';
import { Kafka } from 'kafkajs';
import { ClientBase, Pool } from 'pg';
import { createTestTopics } from '@conduct/testing';
import { EventEnvelope } from '../envelope';
import { MessagingLogger } from '../logger';
import { deadLetterTopic } from '../topics';

/** Drops every line: the messaging tests assert on effects, not on logs. */
export const quietLogger: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** The contract of the NoteAdded events the messaging tests publish. */
export class NoteAddedData {
  @IsString() @IsNotEmpty() text!: string;
}

export const fixtureMetadata: EventMetadata = {
  actor: { id: 'officer-1', role: 'OFFICER', unitId: 'unit-7' },
  correlationId: 'corr-fixture',
  occurredAt: '2025-03-03T10:00:00.000Z',
  jurisdiction: { province: 'Punjab', district: 'Lahore' },
};

export interface InsertedEvent {
  eventId: string;
  position: string;
  transactionId: string;
  hash: string;
}

/** Test support: one row in `events` by plain SQL, hashed like the event store does. */
export async function insertEvent(
  db: ClientBase | Pool,
  event: { streamId: string; streamVersion: number; type?: string; data?: Record<string, unknown>; prevHash?: string },
): Promise<InsertedEvent> {
  const fields = {
    eventId: randomUUID(),
    streamId: event.streamId,
    streamType: 'TestStream',
    streamVersion: event.streamVersion,
    type: event.type ?? 'NoteAdded',
    schemaVersion: 1,
    data: event.data ?? { text: `note ${event.streamVersion}` },
    metadata: fixtureMetadata,
  };
  const prevHash = event.prevHash ?? GENESIS_HASH;
  const hash = computeEventHash(prevHash, fields);
  const { rows } = await db.query<{ position: string; transaction_id: string }>(
    `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING position::text, transaction_id::text`,
    [fields.streamId, fields.streamType, fields.streamVersion, fields.eventId, fields.type, 1, fields.data, fields.metadata, prevHash, hash],
  );
  const [row] = rows;
  if (!row) throw new Error('insert returned no row');
  return { eventId: fields.eventId, position: row.position, transactionId: row.transaction_id, hash };
}

/** Test support: a fresh topic and its `<topic>.dlq` (createTestTopics suffixes every name). */
export async function createTopicWithDeadLetters(kafka: Kafka, base: string): Promise<{ topic: string; dlq: string }> {
  const [topic] = await createTestTopics(kafka, base);
  if (!topic) throw new Error('no topic created');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: deadLetterTopic(topic), numPartitions: 1 }] });
  } finally {
    await admin.disconnect();
  }
  return { topic, dlq: deadLetterTopic(topic) };
}

/** Test support: a valid envelope of any type (the hashes are placeholders; consumers do not check them). */
export function fixtureEnvelope(
  type: string,
  data: Record<string, unknown>,
  streamId: string,
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId,
    streamType: 'TestStream',
    streamVersion: 1,
    occurredAt: '2025-03-03T10:00:00.000Z',
    recordedAt: '2025-03-03T10:00:00.123456Z',
    actor: fixtureMetadata.actor,
    correlationId: 'corr-fixture',
    data,
    metadata: fixtureMetadata,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}
