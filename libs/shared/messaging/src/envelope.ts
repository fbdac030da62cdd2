import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import type { EventMetadata } from '@conduct/event-store';
import { EnvelopeHeaders } from './headers';

export class EnvelopeActor {
  @IsString() @IsNotEmpty() id!: string;
  @IsString() @IsNotEmpty() role!: string;
  @IsOptional() @IsString() unitId?: string;
}

export class EnvelopeJurisdiction {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsOptional() @IsString() unitId?: string;
}

/**
 * The JSON value of every message on the integration topics (docs/asyncapi.yaml). `data` is the
 * event's own contract (a class in the publishing context's contracts library); `metadata`,
 * `prevHash` and `hash` let a receiver verify the stream's hash chain.
 */
export class EventEnvelope<TData extends object = Record<string, unknown>> {
  @IsUUID('all') eventId!: string;
  @IsString() @IsNotEmpty() type!: string;
  @IsInt() @Min(1) schemaVersion!: number;
  @IsString() @IsNotEmpty() streamId!: string;
  @IsString() @IsNotEmpty() streamType!: string;
  @IsInt() @Min(1) streamVersion!: number;
  @IsISO8601({ strict: true }) occurredAt!: string;
  @IsISO8601({ strict: true }) recordedAt!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => EnvelopeActor) actor!: EnvelopeActor;
  @IsString() @IsNotEmpty() correlationId!: string;
  @IsOptional() @IsString() causationId?: string;
  /** Absent for events that belong to no place in the hierarchy (e.g. a webhook delivery). */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnvelopeJurisdiction) jurisdiction?: EnvelopeJurisdiction;
  @IsDefined() @IsObject() data!: TData;
  /** The metadata exactly as stored with the event (the hash covers it). */
  @IsOptional() @IsObject() metadata?: EventMetadata;
  @IsString() prevHash!: string;
  @IsString() @IsNotEmpty() hash!: string;
}

/** A row of the `events` table as the relay reads it (bigints and xid8 as text). */
export interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** A Date from a plain `SELECT *`; the relay selects it as ISO text to keep the microseconds. */
  recorded_at: Date | string;
  prev_hash: string;
  hash: string;
  /** The W3C traceparent of the command that appended it; not part of the envelope (no hash covers it). */
  trace_context?: string | null;
}

export function toEnvelope(row: EventRow): EventEnvelope {
  const recordedAt = typeof row.recorded_at === 'string' ? row.recorded_at : row.recorded_at.toISOString();
  const { metadata } = row;
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    occurredAt: metadata.occurredAt ?? recordedAt,
    recordedAt,
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
    ...(metadata.jurisdiction === undefined ? {} : { jurisdiction: metadata.jurisdiction }),
    data: row.data,
    metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Whether the event was brought in from a force's legacy records (`npm run import:cases`): consumers
 * record it like any other, but notify nobody of it and start no deadline from it.
 */
export const isImported = (envelope: Pick<EventEnvelope, 'metadata'>): boolean => envelope.metadata?.imported !== undefined;

/** The Kafka message for an event: key = stream id (per-stream order), JSON envelope, headers. */
export function toKafkaMessage(envelope: EventEnvelope): { key: string; value: string; headers: Record<string, string> } {
  return {
    key: envelope.streamId,
    value: JSON.stringify(envelope),
    headers: {
      [EnvelopeHeaders.eventType]: envelope.type,
      [EnvelopeHeaders.schemaVersion]: String(envelope.schemaVersion),
      [EnvelopeHeaders.correlationId]: envelope.correlationId,
    },
  };
}
