import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { redactFor } from '@conduct/auth';
import { Actor, EventMetadata } from '@conduct/event-store';
import { Jurisdiction, Scope, scopeCovers } from '@conduct/jurisdiction';
import { Positions, readPositions } from '../generations/generations';
import { ReadModelStore } from '../generations/read-model-store';
import { CaseTimeline, CaseTimelineQuery, TimelineEntry } from './case-timeline.query';
import { reasonsOf, summarize } from './timeline-summary';
import { VerifiableEvent, verifyTimeline } from './timeline-verification';

export interface TimelineRow {
  event_id: string;
  type: string;
  schema_version: number;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  occurred_at: Date;
  recorded_at: Date;
  actor: Actor;
  correlation_id: string;
  causation_id: string | null;
  jurisdiction: Jurisdiction | null;
  data: unknown;
  metadata: EventMetadata | null;
  prev_hash: string;
  hash: string;
}

const isNational = (scope: Scope): boolean => [scope.province, scope.range, scope.district, scope.unit].every((level) => level === undefined);

/** The case's place in the hierarchy: as its own events record it, else as the notices about it repeat it. */
export const jurisdictionOf = (caseId: string, rows: Pick<TimelineRow, 'stream_id' | 'jurisdiction'>[]): Jurisdiction | undefined =>
  (rows.find((row) => row.stream_id === caseId && row.jurisdiction) ?? rows.find((row) => row.jurisdiction))?.jurisdiction ?? undefined;

/** The service number of the officer a case is about, from the case's own events (the report names them). */
export const officerOf = (caseId: string, rows: Pick<TimelineRow, 'stream_id' | 'data'>[]): string | undefined =>
  rows
    .map((row) => row.stream_id === caseId && (row.data as { officer?: { serviceNumber?: unknown } }).officer?.serviceNumber)
    .find((n): n is string => typeof n === 'string');

// The hash covers the fields exactly as stored by the publisher, metadata included.
export const toVerifiable = (row: TimelineRow): VerifiableEvent => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamType: row.stream_type,
  streamVersion: row.stream_version,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const toEntry = (row: TimelineRow): TimelineEntry => {
  const reasons = reasonsOf(row.type, row.data);
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor,
    summary: summarize(row.type, row.data),
    ...(reasons ? { reasons } : {}),
    correlationId: row.correlation_id,
    ...(row.causation_id ? { causationId: row.causation_id } : {}),
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
};

/** A case's whole trail from the read model, in time order, with a check of each stream's hash chain. */
@QueryHandler(CaseTimelineQuery)
export class CaseTimelineHandler implements IQueryHandler<CaseTimelineQuery, CaseTimeline> {
  constructor(private readonly store: ReadModelStore) {}

  async execute({ caseId, principal }: CaseTimelineQuery): Promise<CaseTimeline> {
    const { rows, positions } = await readCaseTrail(this.store, caseId, principal);
    // Verified before redaction: the hashes cover the names.
    const verification = verifyTimeline(rows.map(toVerifiable));
    // The officer a case is about sees their reduced view here too, whatever roles they hold.
    const officer = officerOf(caseId, rows);
    const ownCase = principal.serviceNumber !== undefined && principal.serviceNumber === officer;
    const { value: events, redacted } = redactFor(rows.map(toEntry), principal, { ownCase });
    return { caseId, events, verification, positions, ...(redacted.length ? { redacted } : {}) };
  }
}

/**
 * Every event of a case's trail (its own stream, its notices' and webhook deliveries'), in time
 * order, with the positions they reflect; 404 when the case is unknown or outside the caller's
 * scope, which read alike: the caller learns nothing about cases elsewhere.
 */
export async function readCaseTrail(
  store: ReadModelStore,
  caseId: string,
  principal: { scope: Scope },
): Promise<{ rows: TimelineRow[]; positions: Positions }> {
  const { rows, positions } = await store.read(async (manager) => ({
    rows: await manager.query<TimelineRow[]>(
      `SELECT * FROM case_timeline WHERE case_id = $1 ORDER BY occurred_at, recorded_at, stream_id, stream_version`,
      [caseId],
    ),
    positions: await readPositions(manager),
  }));
  const jurisdiction = jurisdictionOf(caseId, rows);
  const visible = jurisdiction ? scopeCovers(principal.scope, jurisdiction) : rows.length > 0 && isNational(principal.scope);
  if (!visible) throw new NotFoundException(`No case ${caseId} in your scope`);
  return { rows, positions };
}
