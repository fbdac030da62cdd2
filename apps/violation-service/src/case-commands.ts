import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { CASE_STREAM_TYPE, CaseActor, CaseCommand, CaseEvent, CaseState, caseDecider } from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { EventStore, executeCommand } from '@conduct/event-store';
import { Jurisdiction } from '@conduct/jurisdiction';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';
import { CLOCK, Clock, MessagingLifecycle } from '@conduct/service-runtime';
import { caseActorOf, eventActorOf } from './case-actor';

export interface CaseCommandContext {
  actor: CaseActor;
  now: string;
  state: CaseState;
  /** The policy pack version the case recorded: every later decision is judged under it. */
  pack(): PolicyPackVersion;
}

/** What every case transition answers: where the case stands and its version (also the ETag). */
export interface CaseChanged {
  caseId: string;
  status: CaseState['status'];
  stage?: string;
  version: number;
  events: CaseEvent[];
}

export interface CaseCommandRequest {
  caseId: string;
  principal: Principal;
  correlationId: string;
  ifMatchVersion?: number;
  idempotency?: { key: string; requestHash: string };
}

export const caseNotFound = (caseId: string): DomainError => new DomainError('not-found', 'case.not-found', `No case ${caseId} in your scope`);

function jurisdictionOf(state: CaseState, command: CaseCommand): { jurisdiction?: Jurisdiction } {
  if (state.status !== 'none') return { jurisdiction: state.file.report.jurisdiction };
  return command.type === 'ReportViolation' ? { jurisdiction: command.data.jurisdiction } : {};
}

/**
 * Runs one command against a case stream: the shared part of every case use case (actor and
 * time from the request, the case's pack, event metadata, If-Match, publishing without delay).
 */
@Injectable()
export class CaseCommands {
  constructor(
    private readonly store: EventStore,
    private readonly catalogue: PolicyCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  async execute(request: CaseCommandRequest, build: (context: CaseCommandContext) => CaseCommand): Promise<CaseChanged> {
    const now = this.now();
    const actor = caseActorOf(request.principal);
    const result = await executeCommand(
      this.store,
      caseDecider,
      { id: request.caseId, type: CASE_STREAM_TYPE },
      (state) => build({ actor, now, state, pack: () => this.casePack(request.caseId, state) }),
      {
        // Every event carries the case's jurisdiction: reports and scope checks downstream use it.
        metadata: (state, command) => ({
          actor: eventActorOf(request.principal),
          correlationId: request.correlationId,
          occurredAt: now,
          ...jurisdictionOf(state, command),
          ...(request.idempotency ? { idempotency: request.idempotency } : {}),
        }),
        ...(request.ifMatchVersion !== undefined ? { ifMatchVersion: request.ifMatchVersion } : {}),
      },
    );
    if (result.events.length > 0) this.messaging.nudgeRelay();
    const { state } = result;
    return {
      caseId: request.caseId,
      status: state.status,
      ...(state.status !== 'none' ? { stage: state.outcome.stage } : {}),
      version: result.version,
      events: result.events.map((event) => ({ type: event.type, data: event.data }) as CaseEvent),
    };
  }

  private casePack(caseId: string, state: CaseState): PolicyPackVersion {
    if (state.status === 'none') throw caseNotFound(caseId);
    const { packId, version } = state.file.report.policy;
    const pack = this.catalogue.find(packId, version);
    if (!pack) throw new Error(`case ${caseId} rests on ${packId} v${version}, which the catalogue no longer has`);
    return pack;
  }
}
