import { Query } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';
import { Actor } from '@conduct/event-store';
import { Positions } from '../generations/generations';
import { TimelineVerification } from './timeline-verification';

export class CaseTimelineQuery extends Query<CaseTimeline> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface TimelineEntry {
  eventId: string;
  type: string;
  /** The case's own stream, or a notice's / webhook delivery's. */
  streamId: string;
  streamType: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  summary: string;
  reasons?: string[];
  correlationId: string;
  causationId?: string;
  /** The event's data; officers' names are null unless the caller's role may see them. */
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface CaseTimeline {
  caseId: string;
  events: TimelineEntry[];
  verification: TimelineVerification;
  /** The read model's Kafka positions (last offset applied by topic and partition) this answer reflects. */
  positions: Positions;
  /** The fields left out (nulled) for this reader by the redaction policy, e.g. `[].data.officer.name`; absent when none. */
  redacted?: string[];
}
