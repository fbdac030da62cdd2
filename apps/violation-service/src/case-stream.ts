import { CASE_STREAM_TYPE, CaseActor, CaseCommand, CaseEvent, CaseState, caseDecider } from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { SnapshotPolicy } from '@conduct/event-store';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';
import { StreamChanged, StreamKind } from '@conduct/event-sourcing';
import { caseActorOf } from './case-actor';

/** What every case transition answers: where the case stands and its version (also the ETag). */
export interface CaseChanged {
  caseId: string;
  status: CaseState['status'];
  stage?: string;
  version: number;
  events: CaseEvent[];
}

export const caseNotFound = (caseId: string): DomainError => new DomainError('not-found', 'case.not-found', `No case ${caseId} in your scope`);

/** Case streams for the command runner: events are filed under the reported jurisdiction. */
export const CASES: StreamKind<CaseCommand, CaseState, CaseEvent, CaseActor> = {
  streamType: CASE_STREAM_TYPE,
  decider: caseDecider,
  jurisdictionOf: (state, command) => {
    if (state.status !== 'none') return state.file.report.jurisdiction;
    return command.type === 'ReportViolation' ? command.data.jurisdiction : undefined;
  },
  actorOf: caseActorOf,
  alreadyExists: 'case.already-exists',
};

/**
 * Case streams grow without bound (every note is an event), and every command and read folds the
 * stream: a snapshot every 50 events keeps a fold to at most 49 events after the latest one.
 * A snapshot is the folded CaseState as JSON. **Bump `schemaVersion` whenever CaseState or
 * evolveCase changes** (libs/cases/domain/src/case.state.ts): older snapshots are then ignored and
 * the next commands write new ones. case-snapshots.spec.ts fails until you have.
 */
export const CASE_SNAPSHOTS: SnapshotPolicy<CaseState> = { every: 50, schemaVersion: 3 };

/** The answer to a case transition. */
export function caseChanged({ streamId, state, version, events }: StreamChanged<CaseState>): CaseChanged {
  return {
    caseId: streamId,
    status: state.status,
    ...(state.status !== 'none' ? { stage: state.outcome.stage } : {}),
    version,
    events: events.map((event) => ({ type: event.type, data: event.data }) as CaseEvent),
  };
}

/** The policy pack version the case recorded: every later decision is judged under it. */
export function casePack(catalogue: PolicyCatalogue, caseId: string, state: CaseState): PolicyPackVersion {
  if (state.status === 'none') throw caseNotFound(caseId);
  const { packId, version } = state.file.report.policy;
  const pack = catalogue.find(packId, version);
  if (!pack) throw new Error(`case ${caseId} rests on ${packId} v${version}, which the catalogue no longer has`);
  return pack;
}
