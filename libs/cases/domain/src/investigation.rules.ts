import { DomainError } from '@conduct/decider';
import { appealDeadline, PolicyPackVersion } from '@conduct/policy';
import { authorize } from './case-access';
import { AddEvidence, AddNote, AssignInvestigator, RecordFinding } from './case.commands';
import { CaseEvent, FindingVerdict } from './case.events';
import { existingCase, requireCasePack, requireHappened, requireOpen, requireReasons, requireSha256 } from './case-guards';
import { CaseState, OpenCase } from './case.state';

export function assignInvestigator({ data }: AssignInvestigator, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('AssignInvestigator', data.actor, current.file.report);
  requireOpen(current);
  if (current.outcome.stage !== 'investigating') {
    throw new DomainError('conflict', 'case.investigation-over', 'The finding is recorded; reopen the case to investigate again');
  }
  const { caseId, officer } = current.file.report;
  if (data.investigatorId === officer.serviceNumber) {
    throw new DomainError(
      'invalid',
      'case.investigator-is-officer',
      'The officer concerned cannot investigate their own case',
      undefined,
      'investigatorId',
    );
  }
  const replaces = current.file.investigatorId;
  if (replaces === data.investigatorId) throw new DomainError('conflict', 'case.already-assigned', `${replaces} already investigates this case`);
  return [
    {
      type: 'InvestigatorAssigned',
      data: { caseId, investigatorId: data.investigatorId, ...(replaces ? { replaces } : {}), assignedBy: data.actor.id, assignedAt: data.now },
    },
  ];
}

export function addEvidence({ data }: AddEvidence, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('AddEvidence', data.actor, current.file.report);
  requireOpen(current);
  requireSha256(data.evidence.sha256, 'evidence.sha256');
  requireHappened(data.evidence.capturedAt, 'evidence.capturedAt', data.now);
  if (current.file.evidence.some((known) => known.evidenceId === data.evidence.evidenceId)) {
    throw new DomainError(
      'conflict',
      'case.evidence-exists',
      `Evidence ${data.evidence.evidenceId} is already on the case`,
      undefined,
      'evidence.evidenceId',
    );
  }
  return [
    { type: 'EvidenceAdded', data: { caseId: current.file.report.caseId, evidence: data.evidence, addedBy: data.actor.id, addedAt: data.now } },
  ];
}

export function addNote({ data }: AddNote, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('AddNote', data.actor, current.file.report);
  requireOpen(current);
  if (data.text.trim() === '') throw new DomainError('invalid', 'case.empty-note', 'A note needs text', undefined, 'text');
  return [
    {
      type: 'NoteAdded',
      data: { caseId: current.file.report.caseId, noteId: data.noteId, text: data.text, addedBy: data.actor.id, addedAt: data.now },
    },
  ];
}

/** Only the assigned investigator concludes the investigation. */
function requireAssignedInvestigator(current: OpenCase, actorId: string): void {
  const { investigatorId } = current.file;
  if (investigatorId === undefined) throw new DomainError('conflict', 'case.no-investigator', 'Assign an investigator before recording a finding');
  if (investigatorId !== actorId)
    throw new DomainError('forbidden', 'case.not-assigned-investigator', `Only the assigned investigator (${investigatorId}) records the finding`);
}

function verdict(claim: RecordFinding['data'], current: OpenCase, pack: PolicyPackVersion): FindingVerdict {
  switch (claim.outcome) {
    case 'substantiated': {
      if (claim.clauses.length === 0)
        throw new DomainError('invalid', 'case.clauses-required', 'A substantiated finding names the clauses breached', undefined, 'clauses');
      const alleged = current.file.report.policy.clauses;
      const extra = claim.clauses.find((clause) => !alleged.includes(clause));
      if (extra) throw new DomainError('invalid', 'case.clause-not-alleged', `${extra} was not alleged in this case`, extra, 'clauses');
      return { outcome: 'substantiated', clauses: claim.clauses, appealableUntil: appealDeadline(pack, claim.now) };
    }
    case 'covered-by-approval':
      if (current.file.coveringApprovalIds.length === 0) {
        throw new DomainError(
          'conflict',
          'case.no-approval-coverage',
          'No approval covering the content is recorded on this case',
          'SND-1',
          'outcome',
        );
      }
      return { outcome: claim.outcome };
    case 'not-substantiated':
      return { outcome: claim.outcome };
  }
}

export function recordFinding({ data }: RecordFinding, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('RecordFinding', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  if (current.outcome.stage !== 'investigating') {
    throw new DomainError('conflict', 'case.finding-exists', 'The case already has a finding; reopen it to record another');
  }
  requireAssignedInvestigator(current, data.actor.id);
  requireReasons(data.reasons);
  const found = verdict(data, current, data.pack);
  return [
    {
      type: 'FindingRecorded',
      data: { caseId: current.file.report.caseId, ...found, reasons: data.reasons, recordedBy: data.actor.id, recordedAt: data.now },
    },
  ];
}
