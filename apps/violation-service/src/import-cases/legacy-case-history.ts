import { CaseActor, CaseCommand, caseDecider, CaseEvent, CaseState } from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { PolicyPackVersion, showCauseReplyDueDate, takedownDueDate } from '@conduct/policy';
import { LegacyCase } from './legacy-case-rows';

/*
 * A legacy case brought in as the history it had: the commands a case takes, each at the moment it
 * happened, run through the case's own decider, so an imported case obeys every rule a case typed
 * in today obeys (the clause applies to the conduct, a major penalty had its due process, a case
 * closes after its appeal window). A row whose history breaks a rule is rejected with that rule.
 */

/** One event of an imported history, with the moment it happened (its metadata's occurredAt). */
export interface HistoricalEvent {
  event: CaseEvent;
  occurredAt: string;
}

/** A history the decider refused: the step, the rule and why. */
export class HistoryRefused extends Error {
  constructor(
    readonly step: string,
    readonly refusal: DomainError,
  ) {
    super(`${step} refused: ${refusal.code}${refusal.field ? ` (${refusal.field})` : ''}: ${refusal.message}`);
    this.name = 'HistoryRefused';
  }
}

interface Step {
  at: string;
  command: CaseCommand;
}

/** The steps of the legacy case, in the order they happened (steps at the same moment in the order of a case's life). */
function stepsOf(legacy: LegacyCase, caseId: string, pack: PolicyPackVersion, actor: CaseActor, importedAt: string): Step[] {
  const steps: Step[] = [];
  const step = (at: string, command: CaseCommand) => steps.push({ at, command });
  step(legacy.reportedAt, {
    type: 'ReportViolation',
    data: {
      caseId,
      actor,
      officer: legacy.officer,
      jurisdiction: legacy.jurisdiction,
      platform: legacy.platform,
      contentUrl: legacy.contentUrl,
      conduct: legacy.conduct as Extract<CaseCommand, { type: 'ReportViolation' }>['data']['conduct'],
      evidence: { evidenceId: `${caseId}-legacy-evidence`, capturedBy: actor.id, ...legacy.evidence },
      clauses: legacy.clauses,
      observedAt: legacy.observedAt,
      becameKnownAt: legacy.becameKnownAt,
      onDuty: legacy.onDuty,
      description: legacy.description,
      pack,
      now: legacy.reportedAt,
    },
  });
  // The importer investigates: only the assigned investigator records a finding.
  if (legacy.finding) step(legacy.reportedAt, { type: 'AssignInvestigator', data: { actor, investigatorId: actor.id, now: legacy.reportedAt } });
  const { takedown } = legacy;
  if (takedown) {
    const noticeId = `${caseId}-legacy-notice`;
    const dueAt = takedownDueDate(pack, takedown.servedAt);
    step(takedown.servedAt, { type: 'IssueTakedownNotice', data: { actor, noticeId, servedAt: takedown.servedAt, pack, now: takedown.servedAt } });
    // A deadline that passed with the content still up was missed then, and escalated then.
    const missed = takedown.removedAt ? Date.parse(takedown.removedAt) > Date.parse(dueAt) : Date.parse(dueAt) <= Date.parse(importedAt);
    if (missed) step(dueAt, { type: 'RecordMissedTakedownDeadline', data: { noticeId, pack, now: dueAt } });
    if (takedown.removedAt) {
      step(takedown.removedAt, {
        type: 'ConfirmContentRemoval',
        data: { actor, noticeId, verifiedAt: takedown.removedAt, now: takedown.removedAt },
      });
    }
  }
  const { finding } = legacy;
  if (finding) {
    const { recordedAt: now, reasons } = finding;
    step(
      now,
      finding.outcome === 'substantiated'
        ? { type: 'RecordFinding', data: { outcome: 'substantiated', clauses: finding.clauses, actor, reasons, pack, now } }
        : { type: 'RecordFinding', data: { outcome: 'not-substantiated', actor, reasons, pack, now } },
    );
  }
  const { showCause } = legacy;
  if (showCause) {
    const showCauseId = `${caseId}-legacy-show-cause`;
    const { proposedSanction } = showCause;
    step(showCause.servedAt, {
      type: 'IssueShowCauseNotice',
      data: { actor, showCauseId, grounds: showCause.grounds, proposedSanction, servedAt: showCause.servedAt, pack, now: showCause.servedAt },
    });
    const replyDueAt = showCauseReplyDueDate(pack, showCause.servedAt);
    if (showCause.reply) {
      const { receivedAt, text } = showCause.reply;
      step(receivedAt, { type: 'RecordShowCauseReply', data: { actor, reply: text, receivedAt, now: receivedAt } });
    } else if (Date.parse(replyDueAt) <= Date.parse(importedAt)) {
      step(replyDueAt, { type: 'RecordLapsedShowCauseReply', data: { showCauseId, now: replyDueAt } });
    }
    if (showCause.hearing) {
      const { heldAt, officerPresent, record } = showCause.hearing;
      step(heldAt, { type: 'RecordPersonalHearing', data: { actor, heldAt, officerPresent, record, now: heldAt } });
    }
  }
  const { sanction } = legacy;
  if (sanction) {
    step(sanction.imposedAt, {
      type: 'ImposeSanction',
      data: { actor, sanction: sanction.sanction, reasons: sanction.reasons, pack, now: sanction.imposedAt },
    });
  }
  if (legacy.closure) {
    const { closedAt, reasons } = legacy.closure;
    step(closedAt, { type: 'CloseCase', data: { actor, reasons, now: closedAt } });
  }
  // Stable: steps of one moment keep the order above.
  return steps
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/**
 * The events of a legacy case, each dated when it happened; throws HistoryRefused with the first
 * rule its history breaks. `importedAt` decides whether a deadline still open in the file (a notice
 * not removed, a show-cause notice not answered) had passed by now: then its miss is recorded at
 * the deadline, as the service's watchers would have.
 */
export function legacyCaseHistory(
  legacy: LegacyCase,
  caseId: string,
  pack: PolicyPackVersion,
  actor: CaseActor,
  importedAt: string,
): HistoricalEvent[] {
  let state: CaseState = caseDecider.initialState;
  const history: HistoricalEvent[] = [];
  for (const { at, command } of stepsOf(legacy, caseId, pack, actor, importedAt)) {
    if (Date.parse(at) > Date.parse(importedAt))
      throw new HistoryRefused(command.type, new DomainError('invalid', 'case.time-in-future', `${at} lies in the future`));
    let events: CaseEvent[];
    try {
      events = caseDecider.decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) throw new HistoryRefused(command.type, error);
      throw error;
    }
    for (const event of events) {
      state = caseDecider.evolve(state, event);
      history.push({ event, occurredAt: at });
    }
  }
  return history;
}
