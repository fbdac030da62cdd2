import { Jurisdiction, Scope } from '@conduct/jurisdiction';
import { PolicyPackVersion } from '@conduct/policy';
import { ConductDetails, Evidence, OfficerConcerned } from './case.events';

/** Who acts, as the domain needs it: the roles and scope decide what they may do. */
export interface CaseActor {
  id: string;
  roles: readonly string[];
  scope: Scope;
  /** The actor's police service number, from their verified token; none for systems. */
  serviceNumber?: string;
}

// Time, ids and the actor come with the command: the decider has no clock and makes no ids.
// `pack` is a policy pack version the handler looked up: for a report, the version in force at
// observedAt in the case's province; afterwards, the version the case recorded.

export interface ReportViolation {
  type: 'ReportViolation';
  data: {
    caseId: string;
    actor: CaseActor;
    officer: OfficerConcerned;
    jurisdiction: Jurisdiction;
    platform: string;
    contentUrl: string;
    conduct: ConductDetails;
    evidence: Evidence;
    /** The clauses alleged, e.g. ['SND-1']. */
    clauses: string[];
    observedAt: string;
    becameKnownAt: string;
    onDuty: boolean;
    description: string;
    pack: PolicyPackVersion;
    now: string;
  };
}

/** Sent by the service when the captured hash matches an approved publication through an official account. */
export interface RecordApprovalCoverage {
  type: 'RecordApprovalCoverage';
  data: { approvalId: string; accountId: string; mediaSha256: string; publishedAt: string; now: string };
}

export interface AssignInvestigator {
  type: 'AssignInvestigator';
  data: { actor: CaseActor; investigatorId: string; now: string };
}

export interface AddEvidence {
  type: 'AddEvidence';
  data: { actor: CaseActor; evidence: Evidence; now: string };
}

export interface AddNote {
  type: 'AddNote';
  data: { actor: CaseActor; noteId: string; text: string; now: string };
}

export interface IssueTakedownNotice {
  type: 'IssueTakedownNotice';
  data: { actor: CaseActor; noticeId: string; servedAt: string; pack: PolicyPackVersion; now: string };
}

export interface ConfirmContentRemoval {
  type: 'ConfirmContentRemoval';
  data: { actor: CaseActor; noticeId: string; verifiedAt: string; now: string };
}

/** Sent by the deadline watcher once a notice's due date has passed. */
export interface RecordMissedTakedownDeadline {
  type: 'RecordMissedTakedownDeadline';
  data: { noticeId: string; pack: PolicyPackVersion; now: string };
}

export type FindingClaim = { outcome: 'substantiated'; clauses: string[] } | { outcome: 'not-substantiated' | 'covered-by-approval' };
export interface RecordFinding {
  type: 'RecordFinding';
  data: FindingClaim & { actor: CaseActor; reasons: string[]; pack: PolicyPackVersion; now: string };
}

export interface IssueShowCauseNotice {
  type: 'IssueShowCauseNotice';
  data: {
    actor: CaseActor;
    showCauseId: string;
    grounds: string[];
    proposedSanction: string;
    servedAt: string;
    pack: PolicyPackVersion;
    now: string;
  };
}

export interface RecordShowCauseReply {
  type: 'RecordShowCauseReply';
  data: { actor: CaseActor; reply: string; receivedAt: string; now: string };
}

/** Sent by the reply watcher once a show-cause notice's reply deadline has passed without a reply. */
export interface RecordLapsedShowCauseReply {
  type: 'RecordLapsedShowCauseReply';
  data: { showCauseId: string; now: string };
}

export interface RecordPersonalHearing {
  type: 'RecordPersonalHearing';
  data: { actor: CaseActor; heldAt: string; officerPresent: boolean; record: string; now: string };
}

export interface ImposeSanction {
  type: 'ImposeSanction';
  data: { actor: CaseActor; sanction: string; reasons: string[]; pack: PolicyPackVersion; now: string };
}

export interface FileAppeal {
  type: 'FileAppeal';
  data: { actor: CaseActor; appealId: string; grounds: string[]; now: string };
}

export type AppealRulingClaim = { outcome: 'upheld' | 'dismissed' } | { outcome: 'sanction-reduced'; reducedTo: string };
export interface DecideAppeal {
  type: 'DecideAppeal';
  data: AppealRulingClaim & { actor: CaseActor; reasons: string[]; pack: PolicyPackVersion; now: string };
}

export interface CloseCase {
  type: 'CloseCase';
  data: { actor: CaseActor; reasons: string[]; now: string };
}

export interface ReopenCase {
  type: 'ReopenCase';
  data: { actor: CaseActor; reasons: string[]; now: string };
}

export type CaseCommand =
  | ReportViolation
  | RecordApprovalCoverage
  | AssignInvestigator
  | AddEvidence
  | AddNote
  | IssueTakedownNotice
  | ConfirmContentRemoval
  | RecordMissedTakedownDeadline
  | RecordFinding
  | IssueShowCauseNotice
  | RecordShowCauseReply
  | RecordLapsedShowCauseReply
  | RecordPersonalHearing
  | ImposeSanction
  | FileAppeal
  | DecideAppeal
  | CloseCase
  | ReopenCase;

/** Commands a person sends; the others come from the service's own watchers and matchers. */
export type ActorCaseCommand = Extract<CaseCommand, { data: { actor: CaseActor } }>;
