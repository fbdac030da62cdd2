import { Injectable } from '@nestjs/common';
import { CASE_STREAM_TYPE, CaseActor, CaseCommand, CaseEvent, CaseState, caseDecider } from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { Jurisdiction } from '@conduct/jurisdiction';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';
import { StreamCommandRequest, StreamCommands } from '@conduct/service-runtime';
import { caseActorOf } from './case-actor';

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

export interface CaseCommandRequest extends StreamCommandRequest {
  caseId: string;
}

export const caseNotFound = (caseId: string): DomainError => new DomainError('not-found', 'case.not-found', `No case ${caseId} in your scope`);

function jurisdictionOf(state: CaseState, command: CaseCommand): Jurisdiction | undefined {
  if (state.status !== 'none') return state.file.report.jurisdiction;
  return command.type === 'ReportViolation' ? command.data.jurisdiction : undefined;
}

/**
 * Runs one command against a case stream: the shared part of every case use case (actor and
 * time from the request, the case's pack, event metadata, If-Match, publishing without delay).
 */
@Injectable()
export class CaseCommands {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  now(): string {
    return this.streams.now();
  }

  async execute(request: CaseCommandRequest, build: (context: CaseCommandContext) => CaseCommand): Promise<CaseChanged> {
    const actor = caseActorOf(request.principal);
    const result = await this.streams.execute(
      caseDecider,
      { id: request.caseId, type: CASE_STREAM_TYPE },
      request,
      (state, now) => build({ actor, now, state, pack: () => this.casePack(request.caseId, state) }),
      jurisdictionOf,
    );
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
