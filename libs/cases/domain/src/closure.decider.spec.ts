import { CaseCommand, CloseCase, ReopenCase } from './case.commands';
import { CaseEvent } from './case.events';
import {
  appealDecided,
  appealFiled,
  authority,
  caseId,
  cleared,
  closed,
  closedAt,
  closedCase,
  decided,
  deadlineMissed,
  escalated,
  evidence,
  found,
  foundAt,
  investigator,
  noticeIssued,
  punjabInvestigator,
  removalConfirmed,
  reopened,
  reopenedAt,
  sindh,
  spec,
  underInvestigation,
  withSanction,
} from './testing/case-fixtures';

const close = (overrides: Partial<CloseCase['data']> = {}): CloseCase => ({
  type: 'CloseCase',
  data: { actor: authority, reasons: ['Sanction final'], now: closedAt, ...overrides },
});
const reopen = (overrides: Partial<ReopenCase['data']> = {}): ReopenCase => ({
  type: 'ReopenCase',
  data: { actor: authority, reasons: ['New evidence'], now: reopenedAt, ...overrides },
});

describe('case: closing', () => {
  it('closes once the sanction’s appeal window has passed', () => {
    spec(withSanction).when(close()).then([closed]);
  });

  it('closes at once on a finding that clears the officer (no appeal lies)', () => {
    const [event] = decided([...underInvestigation, cleared()], close({ now: foundAt }));
    expect(event).toMatchObject({ type: 'CaseClosed', data: { caseId, closedAt: foundAt } });
  });

  it('closes as soon as the appeal is decided', () => {
    const decidedAppeal: CaseEvent[] = [...withSanction, appealFiled(), appealDecided('dismissed')];
    expect(decided(decidedAppeal, close({ now: '2026-04-16T09:00:00.000Z' }))).toHaveLength(1);
    expect(decided([...found, appealFiled('finding'), appealDecided('upheld')], close({ now: '2026-04-16T09:00:00.000Z' }))).toHaveLength(1);
  });

  it('closes after the content was removed', () => {
    expect(decided([...underInvestigation, noticeIssued(), removalConfirmed(), cleared()], close())).toHaveLength(1);
  });

  it('refuses closing without a finding', () => {
    spec(underInvestigation).when(close()).thenThrows('case.no-finding');
  });

  it('refuses closing while an appeal is pending', () => {
    spec([...withSanction, appealFiled()])
      .when(close())
      .thenThrows('case.appeal-pending');
  });

  it('refuses closing with a pending or overdue takedown', () => {
    spec([...underInvestigation, noticeIssued(), cleared()])
      .when(close())
      .thenThrows('case.takedown-pending');
    spec([...found, noticeIssued(), deadlineMissed(), escalated('SSP', 'DIG')])
      .when(close())
      .thenThrows('case.takedown-pending');
  });

  it('refuses closing while the finding or the sanction may still be appealed', () => {
    spec(found)
      .when(close({ now: '2026-04-19T09:00:00.000Z' }))
      .thenThrows('case.appeal-window-open');
    spec(withSanction)
      .when(close({ now: '2026-04-24T09:00:00.000Z' }))
      .thenThrows('case.appeal-window-open');
    expect(decided(found, close({ now: '2026-04-19T09:00:00.001Z' }))).toHaveLength(1);
  });

  it('refuses closing without reasons, by an investigator, out of scope, or twice', () => {
    spec(withSanction)
      .when(close({ reasons: [] }))
      .thenThrows('case.reasons-required');
    spec(withSanction)
      .when(close({ actor: investigator }))
      .thenThrows('case.role-required');
    spec(withSanction)
      .when(close({ actor: { ...authority, scope: { province: 'punjab' } } }))
      .thenThrows('case.not-found');
    spec(closedCase).when(close()).thenThrows('case.closed');
    spec([]).when(close()).thenThrows('case.not-found');
  });
});

describe('case: reopening', () => {
  it('reopens a closed case with reasons, for a fresh investigation', () => {
    spec(closedCase).when(reopen()).then([reopened]);
  });

  it('refuses reopening a case that is open', () => {
    spec(underInvestigation).when(reopen()).thenThrows('case.not-closed');
    spec([...closedCase, reopened])
      .when(reopen())
      .thenThrows('case.not-closed');
  });

  it('refuses reopening without reasons, by an investigator, or out of scope', () => {
    spec(closedCase)
      .when(reopen({ reasons: [''] }))
      .thenThrows('case.reasons-required');
    spec(closedCase)
      .when(reopen({ actor: investigator }))
      .thenThrows('case.role-required');
    spec(closedCase)
      .when(reopen({ actor: { ...authority, scope: { province: 'sindh', district: 'karachi-east' } } }))
      .thenThrows('case.not-found');
    spec([]).when(reopen()).thenThrows('case.not-found');
  });

  it('lets the reopened case be worked again', () => {
    const again: CaseEvent[] = [...closedCase, reopened];
    const note: CaseCommand = { type: 'AddNote', data: { actor: investigator, noteId: 'note-2', text: 'New witness', now: reopenedAt } };
    expect(decided(again, note)).toMatchObject([{ type: 'NoteAdded' }]);
  });
});

describe('case: a closed case is read-only', () => {
  const actor = investigator;
  const now = reopenedAt;
  const commands: CaseCommand[] = [
    { type: 'RecordApprovalCoverage', data: { approvalId: 'appr-9', accountId: 'acc', mediaSha256: evidence.sha256, publishedAt: now, now } },
    { type: 'AssignInvestigator', data: { actor: authority, investigatorId: 'ia-new', now } },
    { type: 'AddEvidence', data: { actor, evidence: { ...evidence, evidenceId: 'ev-9' }, now } },
    { type: 'AddNote', data: { actor, noteId: 'note-9', text: 'Late note', now } },
    { type: 'IssueTakedownNotice', data: { actor, noticeId: 'notice-9', servedAt: now, pack: sindh, now } },
    { type: 'ConfirmContentRemoval', data: { actor, noticeId: 'notice-1', verifiedAt: now, now } },
    { type: 'RecordMissedTakedownDeadline', data: { noticeId: 'notice-1', pack: sindh, now } },
    { type: 'RecordFinding', data: { outcome: 'not-substantiated', actor, reasons: ['x'], pack: sindh, now } },
    { type: 'ImposeSanction', data: { actor: authority, sanction: 'censure', reasons: ['x'], pack: sindh, now } },
    { type: 'FileAppeal', data: { actor: authority, appealId: 'appeal-9', grounds: ['x'], now } },
    { type: 'DecideAppeal', data: { outcome: 'dismissed', actor: authority, reasons: ['x'], pack: sindh, now } },
    { type: 'CloseCase', data: { actor: authority, reasons: ['x'], now } },
  ];

  it.each(commands.map((command) => [command.type, command]))('refuses %s', (_type, command) => {
    spec(closedCase).when(command).thenThrows('case.closed');
  });

  it('still refuses the actor checks first: access is not leaked by a closed case', () => {
    spec(closedCase)
      .when({ type: 'AddNote', data: { actor: punjabInvestigator, noteId: 'n', text: 't', now } })
      .thenThrows('case.not-found');
  });
});
