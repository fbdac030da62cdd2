import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { redactFor } from '@conduct/auth';
import { EventStore, RecordedEvent } from '@conduct/event-store';
import { CaseReader } from '../case-reader';
import { CaseTrail, CaseTrailEntry, CaseVerification, CaseView, GetCaseQuery, GetCaseTrailQuery, VerifyCaseQuery } from './get-case.query';

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery, CaseView> {
  constructor(private readonly reader: CaseReader) {}

  async execute({ caseId, principal, asOf }: GetCaseQuery): Promise<CaseView> {
    const { state, version, own } = await this.reader.visible(caseId, principal, asOf);
    const view: CaseView = {
      caseId,
      status: state.status,
      version,
      ...(asOf ? { asOf } : {}),
      file: state.file,
      outcome: state.outcome,
      ...(state.status === 'closed' ? { closure: state.closure } : {}),
    };
    const { value, redacted } = redactFor(view, principal, { ownCase: own });
    return redacted.length ? { ...value, redacted } : value;
  }
}

/** The reasons a step gave: `reasons`, an appeal's `grounds`, or an escalation's single `reason`. */
function reasonsOf(data: unknown): string[] | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { reasons, grounds, reason } = data as { reasons?: unknown; grounds?: unknown; reason?: unknown };
  const list = reasons ?? grounds ?? (typeof reason === 'string' ? [reason] : undefined);
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : undefined;
}

const trailEntry = (event: RecordedEvent): CaseTrailEntry => {
  const reasons = reasonsOf(event.data);
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    schemaVersion: event.schemaVersion,
    metadata: event.metadata,
    version: event.streamVersion,
    type: event.type,
    actor: event.metadata.actor,
    ...(reasons ? { reasons } : {}),
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    hash: event.hash,
    prevHash: event.prevHash,
    data: event.data,
  };
};

@QueryHandler(GetCaseTrailQuery)
export class GetCaseTrailHandler implements IQueryHandler<GetCaseTrailQuery, CaseTrail> {
  constructor(
    private readonly reader: CaseReader,
    private readonly store: EventStore,
  ) {}

  async execute({ caseId, principal }: GetCaseTrailQuery): Promise<CaseTrail> {
    const { own } = await this.reader.visible(caseId, principal);
    // As recorded, not upcast: what the hashes cover, so that a reader can recompute them.
    const events = await this.store.readStream(caseId, { upcast: false });
    const { value, redacted } = redactFor(events.map(trailEntry), principal, { ownCase: own });
    return { caseId, version: events.at(-1)?.streamVersion ?? 0, events: value, ...(redacted.length ? { redacted } : {}) };
  }
}

@QueryHandler(VerifyCaseQuery)
export class VerifyCaseHandler implements IQueryHandler<VerifyCaseQuery, CaseVerification> {
  constructor(
    private readonly reader: CaseReader,
    private readonly store: EventStore,
  ) {}

  async execute({ caseId, principal }: VerifyCaseQuery): Promise<CaseVerification> {
    await this.reader.visible(caseId, principal);
    return { caseId, ...(await this.store.verifyStream(caseId)) };
  }
}
