import { Appeal, AppealDecision, AppealTarget, CaseEvent, Finding, Sanction, ViolationReport } from './case.events';

/**
 * A case has two tracks that move independently: the takedown of the content (SND-6) and the
 * disciplinary outcome (finding → sanction → appeal). `file` holds what the case knows,
 * `outcome` where the disciplinary track stands.
 */

/** The latest takedown notice; earlier ones are in the history. `overdue`: missed and escalated. */
export interface Takedown {
  noticeId: string;
  servedAt: string;
  dueAt: string;
  status: 'pending' | 'overdue' | 'removed';
}

/** Where the steps owed before a major penalty stand: one round per finding, cleared on reopening. */
export interface DueProcess {
  showCauseId: string;
  proposedSanction: string;
  servedAt: string;
  replyDueAt: string;
  reply: 'awaited' | 'received' | 'lapsed';
  /** When the reply was received (reply `received`). */
  repliedAt?: string;
  hearing?: { heldAt: string; officerPresent: boolean };
}

export interface CaseFile {
  report: ViolationReport;
  escalationLevel: string;
  investigatorId?: string;
  /** Every evidence id with its hash: ids are unique, hashes are what coverage matches. */
  evidence: { evidenceId: string; sha256: string }[];
  coveringApprovalIds: string[];
  takedown?: Takedown;
  dueProcess?: DueProcess;
}

/** `appealed` lists the decisions already appealed: each may be appealed once. */
export type CaseOutcome =
  | { stage: 'investigating' }
  | { stage: 'found'; finding: Finding; appealed: AppealTarget[] }
  | { stage: 'sanctioned'; finding: Finding; sanction: Sanction; appealed: AppealTarget[] }
  | { stage: 'under-appeal'; finding: Finding; sanction?: Sanction; appeal: Appeal; appealed: AppealTarget[] }
  | { stage: 'set-aside'; finding: Finding; sanction?: Sanction; decision: AppealDecision };

export interface CaseClosure {
  reasons: string[];
  closedBy: string;
  closedAt: string;
}

export type CaseState =
  | { status: 'none' }
  | { status: 'open'; file: CaseFile; outcome: CaseOutcome }
  | { status: 'closed'; file: CaseFile; outcome: CaseOutcome; closure: CaseClosure };

export type CaseStatus = CaseState['status'];
export type ExistingCase = Exclude<CaseState, { status: 'none' }>;
export type OpenCase = Extract<CaseState, { status: 'open' }>;

export const initialCaseState: CaseState = { status: 'none' };

const withFile = (state: CaseState, change: (file: CaseFile) => CaseFile): CaseState =>
  state.status === 'none' ? state : { ...state, file: change(state.file) };

const withOutcome = (state: CaseState, change: (outcome: CaseOutcome) => CaseOutcome): CaseState =>
  state.status === 'open' ? { ...state, outcome: change(state.outcome) } : state;

const withTakedown = (state: CaseState, noticeId: string, status: Takedown['status']): CaseState =>
  withFile(state, (file) => (file.takedown?.noticeId === noticeId ? { ...file, takedown: { ...file.takedown, status } } : file));

const withDueProcess = (state: CaseState, change: (steps: DueProcess) => DueProcess): CaseState =>
  withFile(state, (file) => (file.dueProcess ? { ...file, dueProcess: change(file.dueProcess) } : file));

/** Where a dismissed or partly granted appeal leaves the case. */
function afterAppeal(outcome: Extract<CaseOutcome, { stage: 'under-appeal' }>, decision: AppealDecision): CaseOutcome {
  const { finding, sanction, appeal } = outcome;
  const appealed = [...outcome.appealed, appeal.against];
  switch (decision.outcome) {
    case 'upheld':
      return { stage: 'set-aside', finding, ...(sanction ? { sanction } : {}), decision };
    case 'dismissed':
      return sanction ? { stage: 'sanctioned', finding, sanction, appealed } : { stage: 'found', finding, appealed };
    case 'sanction-reduced':
      if (!sanction) return outcome;
      return { stage: 'sanctioned', finding, sanction: { ...sanction, sanction: decision.reducedTo, severity: decision.severity }, appealed };
  }
}

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'ViolationReported': {
      const { evidence, escalationLevel } = event.data;
      return {
        status: 'open',
        file: {
          report: event.data,
          escalationLevel,
          evidence: [{ evidenceId: evidence.evidenceId, sha256: evidence.sha256 }],
          coveringApprovalIds: [],
        },
        outcome: { stage: 'investigating' },
      };
    }
    case 'InvestigatorAssigned':
      return withFile(state, (file) => ({ ...file, investigatorId: event.data.investigatorId }));
    case 'ApprovalCoverageFound':
      return withFile(state, (file) => ({ ...file, coveringApprovalIds: [...file.coveringApprovalIds, event.data.approvalId] }));
    case 'EvidenceAdded': {
      const { evidenceId, sha256 } = event.data.evidence;
      return withFile(state, (file) => ({ ...file, evidence: [...file.evidence, { evidenceId, sha256 }] }));
    }
    case 'NoteAdded':
      return state;
    case 'TakedownNoticeIssued': {
      const { noticeId, servedAt, dueAt } = event.data;
      return withFile(state, (file) => ({ ...file, takedown: { noticeId, servedAt, dueAt, status: 'pending' } }));
    }
    case 'ContentRemovalConfirmed':
      return withTakedown(state, event.data.noticeId, 'removed');
    case 'TakedownDeadlineMissed':
      return withTakedown(state, event.data.noticeId, 'overdue');
    case 'CaseEscalated':
      return withFile(state, (file) => ({ ...file, escalationLevel: event.data.to }));
    case 'FindingRecorded':
      return withOutcome(state, (outcome) => (outcome.stage === 'investigating' ? { stage: 'found', finding: event.data, appealed: [] } : outcome));
    case 'ShowCauseNoticeIssued': {
      const { showCauseId, proposedSanction, servedAt, replyDueAt } = event.data;
      return withFile(state, (file) => ({ ...file, dueProcess: { showCauseId, proposedSanction, servedAt, replyDueAt, reply: 'awaited' } }));
    }
    case 'ShowCauseReplyReceived':
      return withDueProcess(state, (steps) => ({ ...steps, reply: 'received', repliedAt: event.data.receivedAt }));
    case 'ShowCauseReplyLapsed':
      return withDueProcess(state, (steps) => ({ ...steps, reply: 'lapsed' }));
    case 'PersonalHearingHeld':
      return withDueProcess(state, (steps) => ({ ...steps, hearing: { heldAt: event.data.heldAt, officerPresent: event.data.officerPresent } }));
    case 'SanctionImposed':
      return withOutcome(state, (outcome) =>
        outcome.stage === 'found' ? { stage: 'sanctioned', finding: outcome.finding, sanction: event.data, appealed: outcome.appealed } : outcome,
      );
    case 'AppealFiled':
      return withOutcome(state, (outcome) =>
        outcome.stage === 'found' || outcome.stage === 'sanctioned' ? { ...outcome, stage: 'under-appeal', appeal: event.data } : outcome,
      );
    case 'AppealDecided':
      return withOutcome(state, (outcome) => (outcome.stage === 'under-appeal' ? afterAppeal(outcome, event.data) : outcome));
    case 'CaseClosed': {
      if (state.status !== 'open') return state;
      const { caseId: _caseId, ...closure } = event.data;
      return { status: 'closed', file: state.file, outcome: state.outcome, closure };
    }
    case 'CaseReopened': {
      // A reopened case is investigated afresh: the next finding supersedes the last one, and is owed due process of its own.
      if (state.status !== 'closed') return state;
      const { dueProcess: _previousRound, ...file } = state.file;
      return { status: 'open', file, outcome: { stage: 'investigating' } };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
