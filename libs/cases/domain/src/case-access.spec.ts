import { CASE_ROLE_MATRIX } from './case-access';
import { ActorCaseCommand, CaseActor } from './case.commands';
import { evidence, officer, punjabInvestigator, report, reported, sindh, spec } from './testing/case-fixtures';

/*
 * The role matrix, row by row: every command a person sends is refused to every role the matrix
 * does not list for it, to an actor whose scope misses the case, and to the officer concerned.
 */

const now = '2026-03-05T09:00:00.000Z';
const ROLES = ['OFFICER', 'MEDIA_TEAM', 'APPROVER', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST', 'INTEGRATION', 'ADMIN'];

const commandBy = (type: ActorCaseCommand['type'], actor: CaseActor): ActorCaseCommand => {
  switch (type) {
    case 'ReportViolation':
      return report({ actor });
    case 'AssignInvestigator':
      return { type, data: { actor, investigatorId: 'ia-new', now } };
    case 'AddEvidence':
      return { type, data: { actor, evidence: { ...evidence, evidenceId: 'ev-2' }, now } };
    case 'AddNote':
      return { type, data: { actor, noteId: 'note-1', text: 'x', now } };
    case 'IssueTakedownNotice':
      return { type, data: { actor, noticeId: 'notice-1', servedAt: now, pack: sindh, now } };
    case 'ConfirmContentRemoval':
      return { type, data: { actor, noticeId: 'notice-1', verifiedAt: now, now } };
    case 'RecordFinding':
      return { type, data: { outcome: 'not-substantiated', actor, reasons: ['x'], pack: sindh, now } };
    case 'IssueShowCauseNotice':
      return { type, data: { actor, showCauseId: 'show-cause-1', grounds: ['x'], proposedSanction: 'dismissal', servedAt: now, pack: sindh, now } };
    case 'RecordShowCauseReply':
      return { type, data: { actor, reply: 'x', receivedAt: now, now } };
    case 'RecordPersonalHearing':
      return { type, data: { actor, heldAt: now, officerPresent: true, record: 'x', now } };
    case 'ImposeSanction':
      return { type, data: { actor, sanction: 'censure', reasons: ['x'], pack: sindh, now } };
    case 'FileAppeal':
      return { type, data: { actor, appealId: 'appeal-1', grounds: ['x'], now } };
    case 'DecideAppeal':
      return { type, data: { outcome: 'dismissed', actor, reasons: ['x'], pack: sindh, now } };
    case 'CloseCase':
      return { type, data: { actor, reasons: ['x'], now } };
    case 'ReopenCase':
      return { type, data: { actor, reasons: ['x'], now } };
  }
};

const rows = Object.entries(CASE_ROLE_MATRIX) as [ActorCaseCommand['type'], readonly string[]][];
const givenFor = (type: ActorCaseCommand['type']) => (type === 'ReportViolation' ? [] : [reported]);
const inScope = { province: 'sindh' };

describe('case: role matrix', () => {
  const refusals = rows.flatMap(([type, allowed]) => ROLES.filter((role) => !allowed.includes(role)).map((role) => [type, role] as const));

  it.each(refusals)('refuses %s to %s', (type, role) => {
    spec(givenFor(type))
      .when(commandBy(type, { id: 'someone', roles: [role], scope: inScope }))
      .thenThrows('case.role-required');
  });

  // Outside your scope a case does not exist for you, whatever your roles: not a 403 that tells it does.
  it.each(rows.filter(([type]) => type !== 'ReportViolation'))(
    'answers %s by %s outside the case’s scope as if there were no case',
    (type, allowed) => {
      spec(givenFor(type))
        .when(commandBy(type, { ...punjabInvestigator, roles: allowed }))
        .thenThrows('case.not-found');
      spec(givenFor(type))
        .when(commandBy(type, { ...punjabInvestigator, roles: ['MEDIA_TEAM'] }))
        .thenThrows('case.not-found');
    },
  );

  it('refuses a report into a jurisdiction outside the reporter’s scope (the reporter named it: 403)', () => {
    spec([])
      .when(commandBy('ReportViolation', { ...punjabInvestigator, roles: ['IA_INVESTIGATOR'] }))
      .thenThrows('case.out-of-scope');
  });

  it.each(rows.filter(([type]) => type !== 'FileAppeal'))(
    'refuses %s to the officer concerned, whatever their roles and login id',
    (type, allowed) => {
      spec(givenFor(type))
        .when(commandBy(type, { id: 'imran.ali', serviceNumber: officer.serviceNumber, roles: allowed, scope: inScope }))
        .thenThrows('case.own-case');
    },
  );

  it('knows the officer concerned by the service number of their token, not by a login id that happens to match it', () => {
    const noting = { roles: ['DISCIPLINARY_AUTHORITY'], scope: inScope };
    spec(givenFor('AddNote'))
      .when(commandBy('AddNote', { ...noting, id: officer.serviceNumber }))
      .then([
        { type: 'NoteAdded', data: { caseId: reported.data.caseId, noteId: 'note-1', text: 'x', addedBy: officer.serviceNumber, addedAt: now } },
      ]);
    spec(givenFor('AddNote'))
      .when(commandBy('AddNote', { ...noting, id: 'da-other', serviceNumber: officer.serviceNumber }))
      .thenThrows('case.own-case');
  });
});
