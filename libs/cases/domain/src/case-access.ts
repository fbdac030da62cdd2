import { DomainError } from '@conduct/decider';
import { Jurisdiction, scopeCovers } from '@conduct/jurisdiction';
import { ActorCaseCommand, CaseActor } from './case.commands';
import { caseNotFound } from './case-guards';
import { OfficerConcerned } from './case.events';

/**
 * Who may send which command (README.md, "Role matrix"). Internal affairs investigators do the
 * investigative steps; supervisors (approving authorities: DIG, SSP, Unit Head) may also report;
 * the disciplinary authority takes the decisions (sanction, appeal ruling, closure, reopening), holds
 * the due process before a major penalty (show-cause notice, the officer's reply, hearing) and
 * records appeals lodged on paper. Every actor must also cover the case's jurisdiction with their
 * scope, and nobody acts on a case about themselves, except the officer filing their own appeal.
 * RecordApprovalCoverage, RecordMissedTakedownDeadline and RecordLapsedShowCauseReply come from the service, not a person.
 */
export const CASE_ROLE_MATRIX = {
  ReportViolation: ['IA_INVESTIGATOR', 'APPROVER'],
  AssignInvestigator: ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'],
  AddEvidence: ['IA_INVESTIGATOR'],
  AddNote: ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'],
  IssueTakedownNotice: ['IA_INVESTIGATOR'],
  ConfirmContentRemoval: ['IA_INVESTIGATOR'],
  RecordFinding: ['IA_INVESTIGATOR'],
  IssueShowCauseNotice: ['DISCIPLINARY_AUTHORITY'],
  RecordShowCauseReply: ['DISCIPLINARY_AUTHORITY'],
  RecordPersonalHearing: ['DISCIPLINARY_AUTHORITY'],
  ImposeSanction: ['DISCIPLINARY_AUTHORITY'],
  FileAppeal: ['DISCIPLINARY_AUTHORITY'],
  DecideAppeal: ['DISCIPLINARY_AUTHORITY'],
  CloseCase: ['DISCIPLINARY_AUTHORITY'],
  ReopenCase: ['DISCIPLINARY_AUTHORITY'],
} as const satisfies Record<ActorCaseCommand['type'], readonly string[]>;

/** The case as far as access is concerned: where it is and whom it is about. */
export interface CaseSubject {
  jurisdiction: Jurisdiction;
  officer: OfficerConcerned;
}

export function authorize(command: ActorCaseCommand['type'], actor: CaseActor, subject: CaseSubject): void {
  const inScope = scopeCovers(actor.scope, subject.jurisdiction);
  // Outside the actor's scope an existing case does not exist for them, as for reads: a 403 (or a
  // role refusal) would tell that it does. Reporting names the jurisdiction itself: nothing to hide.
  if (!inScope && command !== 'ReportViolation') throw caseNotFound();
  const allowed: readonly string[] = CASE_ROLE_MATRIX[command];
  if (!actor.roles.some((role) => allowed.includes(role))) {
    throw new DomainError('forbidden', 'case.role-required', `${command} needs one of the roles ${allowed.join(', ')}`);
  }
  if (!inScope) {
    throw new DomainError('forbidden', 'case.out-of-scope', "The case's jurisdiction is outside your scope", undefined, 'jurisdiction');
  }
  if (isOfficerConcerned(actor, subject)) {
    throw new DomainError('forbidden', 'case.own-case', 'Nobody may act on a case about themselves');
  }
}

/** The actor is the officer the case is about: by service number, never by login id. */
export const isOfficerConcerned = (actor: CaseActor, subject: CaseSubject): boolean =>
  actor.serviceNumber !== undefined && actor.serviceNumber === subject.officer.serviceNumber;
