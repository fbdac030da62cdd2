import { AddEvidence, AddNote, AssignInvestigator, ImposeSanction, RecordFinding } from './case.commands';
import {
  appealDecided,
  appealFiled,
  assigned,
  assignedAt,
  authority,
  caseId,
  cleared,
  closedCase,
  coverageFound,
  decided,
  evidence,
  found,
  heard,
  foundAt,
  investigator,
  officer,
  officerConcerned,
  otherInvestigator,
  pack,
  punjabInvestigator,
  reported,
  reopened,
  sanctioned,
  sanctionedAt,
  sindh,
  spec,
  ssp,
  substantiated,
  underInvestigation,
  withSanction,
} from './testing/case-fixtures';

const assign = (overrides: Partial<AssignInvestigator['data']> = {}): AssignInvestigator => ({
  type: 'AssignInvestigator',
  data: { actor: authority, investigatorId: investigator.id, now: assignedAt, ...overrides },
});
const secondEvidence = { ...evidence, evidenceId: 'ev-2', sha256: 'b'.repeat(64), archiveLocation: 's3://conduct-evidence/ev-2' };
const addEvidence = (overrides: Partial<AddEvidence['data']> = {}): AddEvidence => ({
  type: 'AddEvidence',
  data: { actor: investigator, evidence: secondEvidence, now: assignedAt, ...overrides },
});
const addNote = (overrides: Partial<AddNote['data']> = {}): AddNote => ({
  type: 'AddNote',
  data: { actor: investigator, noteId: 'note-1', text: 'Officer called for interview', now: assignedAt, ...overrides },
});
const findSubstantiated = (overrides: Partial<Extract<RecordFinding['data'], { outcome: 'substantiated' }>> = {}): RecordFinding => ({
  type: 'RecordFinding',
  data: {
    outcome: 'substantiated',
    clauses: ['SND-1'],
    actor: investigator,
    reasons: substantiated.data.reasons,
    pack: sindh,
    now: foundAt,
    ...overrides,
  },
});
const findCleared = (
  outcome: 'not-substantiated' | 'covered-by-approval',
  overrides: Partial<Omit<RecordFinding['data'], 'outcome'>> = {},
): RecordFinding => ({
  type: 'RecordFinding',
  data: { outcome, actor: investigator, reasons: ['The person in the video is not the officer'], pack: sindh, now: foundAt, ...overrides },
});
const impose = (overrides: Partial<ImposeSanction['data']> = {}): ImposeSanction => ({
  type: 'ImposeSanction',
  data: { actor: authority, sanction: 'censure', reasons: ['First breach'], pack: sindh, now: sanctionedAt, ...overrides },
});

describe('case: investigator', () => {
  it('is assigned by the disciplinary authority, or by internal affairs', () => {
    spec([reported]).when(assign()).then([assigned()]);
    expect(decided([reported], assign({ actor: otherInvestigator }))).toMatchObject([{ data: { assignedBy: otherInvestigator.id } }]);
  });

  it('is reassigned, naming whom the new investigator replaces', () => {
    spec(underInvestigation)
      .when(assign({ investigatorId: otherInvestigator.id }))
      .then([assigned(otherInvestigator.id, investigator.id)]);
  });

  it('refuses assigning the same investigator again', () => {
    spec(underInvestigation).when(assign()).thenThrows('case.already-assigned');
  });

  it('refuses the officer concerned as investigator', () => {
    expect(
      spec([reported])
        .when(assign({ investigatorId: officer.serviceNumber }))
        .thenThrows('case.investigator-is-officer').field,
    ).toBe('investigatorId');
  });

  it('refuses assignment once the finding is recorded', () => {
    spec(found)
      .when(assign({ investigatorId: otherInvestigator.id }))
      .thenThrows('case.investigation-over');
  });

  it('refuses a supervisor, someone out of scope, the officer concerned, and a closed case', () => {
    spec([reported])
      .when(assign({ actor: ssp }))
      .thenThrows('case.role-required');
    spec([reported])
      .when(assign({ actor: punjabInvestigator }))
      .thenThrows('case.not-found');
    spec([reported])
      .when(assign({ actor: { ...officerConcerned, roles: ['DISCIPLINARY_AUTHORITY'] } }))
      .thenThrows('case.own-case');
    spec(closedCase)
      .when(assign({ investigatorId: otherInvestigator.id }))
      .thenThrows('case.closed');
    spec([]).when(assign()).thenThrows('case.not-found');
  });
});

describe('case: evidence and notes', () => {
  it('adds evidence with its hash and archive location', () => {
    spec(underInvestigation)
      .when(addEvidence())
      .then([{ type: 'EvidenceAdded', data: { caseId, evidence: secondEvidence, addedBy: investigator.id, addedAt: assignedAt } }]);
  });

  it('refuses an evidence id already on the case, a bad hash, a capture in the future', () => {
    spec(underInvestigation).when(addEvidence({ evidence })).thenThrows('case.evidence-exists');
    spec(underInvestigation)
      .when(addEvidence({ evidence: { ...secondEvidence, sha256: 'B'.repeat(64) } }))
      .thenThrows('case.bad-evidence-hash');
    spec(underInvestigation)
      .when(addEvidence({ evidence: { ...secondEvidence, capturedAt: '2026-03-04T00:00:00.000Z' } }))
      .thenThrows('case.time-in-future');
  });

  it('takes evidence from investigators only', () => {
    spec(underInvestigation)
      .when(addEvidence({ actor: authority }))
      .thenThrows('case.role-required');
  });

  it('adds a note by an investigator or the disciplinary authority', () => {
    spec(underInvestigation)
      .when(addNote())
      .then([
        {
          type: 'NoteAdded',
          data: { caseId, noteId: 'note-1', text: 'Officer called for interview', addedBy: investigator.id, addedAt: assignedAt },
        },
      ]);
    expect(decided(underInvestigation, addNote({ actor: authority }))).toMatchObject([{ data: { addedBy: authority.id } }]);
  });

  it('refuses a blank note, and a note by a supervisor', () => {
    expect(
      spec(underInvestigation)
        .when(addNote({ text: '  ' }))
        .thenThrows('case.empty-note').field,
    ).toBe('text');
    spec(underInvestigation)
      .when(addNote({ actor: ssp }))
      .thenThrows('case.role-required');
  });
});

describe('case: finding', () => {
  it('is substantiated by the assigned investigator, naming the clauses and the appeal deadline', () => {
    spec(underInvestigation).when(findSubstantiated()).then([substantiated]);
  });

  it('is not substantiated, with reasons and no appeal window', () => {
    spec(underInvestigation).when(findCleared('not-substantiated')).then([cleared()]);
  });

  it('is covered by approval when an approval covering the content is on record', () => {
    spec([...underInvestigation, coverageFound])
      .when(findCleared('covered-by-approval'))
      .then([cleared('covered-by-approval')]);
  });

  it('refuses covered-by-approval without a recorded approval, citing SND-1', () => {
    expect(spec(underInvestigation).when(findCleared('covered-by-approval')).thenThrows('case.no-approval-coverage').clause).toBe('SND-1');
  });

  it('refuses a second finding without reopening, and accepts one after', () => {
    spec(found).when(findCleared('not-substantiated')).thenThrows('case.finding-exists');
    const reopenedCase = [
      ...underInvestigation,
      cleared(),
      { type: 'CaseClosed' as const, data: { caseId, reasons: ['x'], closedBy: authority.id, closedAt: foundAt } },
      reopened,
    ];
    expect(decided(reopenedCase, findSubstantiated({ now: '2026-06-10T09:00:00.000Z' }))).toMatchObject([
      { type: 'FindingRecorded', data: { outcome: 'substantiated' } },
    ]);
  });

  it('refuses a finding before an investigator is assigned, or by anyone but them', () => {
    spec([reported]).when(findSubstantiated()).thenThrows('case.no-investigator');
    spec(underInvestigation)
      .when(findSubstantiated({ actor: otherInvestigator }))
      .thenThrows('case.not-assigned-investigator');
    spec(underInvestigation)
      .when(findSubstantiated({ actor: authority }))
      .thenThrows('case.role-required');
  });

  it('refuses a finding without reasons', () => {
    spec(underInvestigation)
      .when(findSubstantiated({ reasons: [] }))
      .thenThrows('case.reasons-required');
    spec(underInvestigation)
      .when(findSubstantiated({ reasons: [' '] }))
      .thenThrows('case.reasons-required');
  });

  it('refuses a substantiated finding without clauses, or on a clause not alleged', () => {
    spec(underInvestigation)
      .when(findSubstantiated({ clauses: [] }))
      .thenThrows('case.clauses-required');
    expect(
      spec(underInvestigation)
        .when(findSubstantiated({ clauses: ['SND-1', 'SND-4'] }))
        .thenThrows('case.clause-not-alleged').clause,
    ).toBe('SND-4');
  });

  it('refuses a pack other than the case’s, and a closed case', () => {
    spec(underInvestigation)
      .when(findSubstantiated({ pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
    spec(closedCase).when(findSubstantiated()).thenThrows('case.closed');
  });
});

describe('case: sanction', () => {
  it('is imposed on a substantiated finding, from the pack’s list, with its severity and appeal deadline', () => {
    spec(found).when(impose()).then([sanctioned()]);
  });

  it('takes major penalties from the pack too, once due process is held (due-process.decider.spec.ts)', () => {
    spec(heard)
      .when(impose({ sanction: 'dismissal' }))
      .then([sanctioned('dismissal', 'major')]);
  });

  it('refuses a sanction the pack does not list', () => {
    expect(
      spec(found)
        .when(impose({ sanction: 'flogging' }))
        .thenThrows('case.unknown-sanction').field,
    ).toBe('sanction');
  });

  it('refuses a sanction without a substantiated finding that stands', () => {
    spec(underInvestigation).when(impose()).thenThrows('case.no-substantiated-finding');
    spec([...underInvestigation, cleared()])
      .when(impose())
      .thenThrows('case.no-substantiated-finding');
    spec([...found, appealFiled('finding'), appealDecided('upheld')])
      .when(impose())
      .thenThrows('case.no-substantiated-finding');
  });

  it('refuses a second sanction, and one while the finding is under appeal', () => {
    spec(withSanction)
      .when(impose({ sanction: 'fine' }))
      .thenThrows('case.already-sanctioned');
    spec([...found, appealFiled('finding')])
      .when(impose())
      .thenThrows('case.appeal-pending');
  });

  it('refuses a sanction without reasons', () => {
    spec(found)
      .when(impose({ reasons: [] }))
      .thenThrows('case.reasons-required');
  });

  it('is imposed by the disciplinary authority in scope only', () => {
    spec(found)
      .when(impose({ actor: investigator }))
      .thenThrows('case.role-required');
    spec(found)
      .when(impose({ actor: { ...authority, scope: { province: 'sindh', district: 'karachi-east' } } }))
      .thenThrows('case.not-found');
    spec(found)
      .when(impose({ pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
    spec(closedCase).when(impose()).thenThrows('case.closed');
  });
});
