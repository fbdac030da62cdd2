import { Decider } from '@conduct/decider';
import { decideAppeal, fileAppeal } from './appeal.rules';
import { closeCase, reopenCase } from './closure.rules';
import { CaseCommand } from './case.commands';
import { CaseEvent } from './case.events';
import { CaseState, evolveCase, initialCaseState } from './case.state';
import { addEvidence, addNote, assignInvestigator, recordFinding } from './investigation.rules';
import { recordApprovalCoverage, reportViolation } from './report.rules';
import { imposeSanction } from './sanction.rules';
import { issueShowCauseNotice, recordLapsedShowCauseReply, recordPersonalHearing, recordShowCauseReply } from './due-process.rules';
import { confirmContentRemoval, issueTakedownNotice, recordMissedTakedownDeadline } from './takedown.rules';

/** The stream type of a conduct case; its stream id is the caseId. */
export const CASE_STREAM_TYPE = 'case';

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'ReportViolation':
      return reportViolation(command, state);
    case 'RecordApprovalCoverage':
      return recordApprovalCoverage(command, state);
    case 'AssignInvestigator':
      return assignInvestigator(command, state);
    case 'AddEvidence':
      return addEvidence(command, state);
    case 'AddNote':
      return addNote(command, state);
    case 'IssueTakedownNotice':
      return issueTakedownNotice(command, state);
    case 'ConfirmContentRemoval':
      return confirmContentRemoval(command, state);
    case 'RecordMissedTakedownDeadline':
      return recordMissedTakedownDeadline(command, state);
    case 'RecordFinding':
      return recordFinding(command, state);
    case 'IssueShowCauseNotice':
      return issueShowCauseNotice(command, state);
    case 'RecordShowCauseReply':
      return recordShowCauseReply(command, state);
    case 'RecordLapsedShowCauseReply':
      return recordLapsedShowCauseReply(command, state);
    case 'RecordPersonalHearing':
      return recordPersonalHearing(command, state);
    case 'ImposeSanction':
      return imposeSanction(command, state);
    case 'FileAppeal':
      return fileAppeal(command, state);
    case 'DecideAppeal':
      return decideAppeal(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    case 'ReopenCase':
      return reopenCase(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const caseDecider: Decider<CaseCommand, CaseState, CaseEvent> = {
  initialState: initialCaseState,
  decide: decideCase,
  evolve: evolveCase,
};
