import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { computeEventHash, EventMetadata, GENESIS_HASH } from '@conduct/event-store';
import { EventEnvelope, toKafkaMessage } from '@conduct/messaging';

export interface StreamEvent {
  type: string;
  data: object;
  metadata: EventMetadata;
  schemaVersion?: number;
}

/**
 * Envelopes of one stream exactly as the outbox relay publishes them: versions from 1, each
 * hash computed by the event-store library over the previous one, so receivers can verify them.
 */
export function chainedEnvelopes(stream: { streamId: string; streamType: string }, events: readonly StreamEvent[]): EventEnvelope<object>[] {
  let prevHash = GENESIS_HASH;
  return events.map((event, index) => {
    const fields = {
      eventId: randomUUID(),
      streamId: stream.streamId,
      streamType: stream.streamType,
      streamVersion: index + 1,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: event.metadata,
    };
    const hash = computeEventHash(prevHash, fields);
    const { metadata } = event;
    const envelope: EventEnvelope<object> = {
      ...fields,
      occurredAt: metadata.occurredAt,
      recordedAt: new Date(Date.parse(metadata.occurredAt) + 1).toISOString(),
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
      ...(metadata.jurisdiction === undefined ? {} : { jurisdiction: metadata.jurisdiction }),
      prevHash,
      hash,
    };
    prevHash = hash;
    return envelope;
  });
}

export async function publish(producer: Producer, topic: string, envelopes: readonly EventEnvelope<object>[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: envelopes.map((envelope) => toKafkaMessage(envelope as EventEnvelope)) });
}
