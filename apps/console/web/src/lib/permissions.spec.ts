import { approvalActions, caseActions, CaseView, isOfficerOnly, pagesFor, readsLiveChanges, runsOfficialAccounts, Viewer } from './permissions';

const investigator: Viewer = { subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], serviceNumber: null };
const authority: Viewer = { subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], serviceNumber: null };
const analyst: Viewer = { subject: 'hq', roles: ['HQ_ANALYST'], serviceNumber: null };
const officer: Viewer = { subject: 'imran.ali', roles: ['OFFICER'], serviceNumber: 'KHI-40172' };

const reported: CaseView = { status: 'open', outcome: { stage: 'investigating' }, file: { investigatorId: null, takedown: null } };

describe('the actions the console offers', () => {
  it('offers an investigator to take a new case and serve its takedown notice', () => {
    expect(caseActions(investigator, reported)).toEqual(['assign-self', 'serve-takedown', 'add-note']);
  });

  it('offers the assigned investigator the removal while the notice is pending, and the finding', () => {
    const assigned: CaseView = { ...reported, file: { investigatorId: 'ia-rashid', takedown: { status: 'pending' } } };
    expect(caseActions(investigator, assigned)).toEqual(['record-removal', 'add-note', 'record-finding']);
    // Another investigator may not record the finding of a case that is not theirs.
    expect(caseActions({ ...investigator, subject: 'ia-other' }, assigned)).toEqual(['assign-self', 'record-removal', 'add-note']);
  });

  it('offers the disciplinary authority the sanction only after a finding, and closure', () => {
    expect(caseActions(authority, reported)).toEqual(['add-note', 'close']);
    expect(caseActions(authority, { ...reported, outcome: { stage: 'found' } })).toEqual(['add-note', 'impose-sanction', 'close']);
  });

  it('offers nothing on a closed case, and nothing to readers', () => {
    expect(caseActions(investigator, { ...reported, status: 'closed' })).toEqual([]);
    expect(caseActions(analyst, reported)).toEqual([]);
    expect(caseActions(officer, reported)).toEqual([]);
  });

  it('opens the pages a role may use', () => {
    expect(pagesFor(investigator)).toEqual(['cases', 'report', 'approvals']);
    expect(pagesFor(analyst)).toEqual(['cases', 'approvals', 'dashboard']);
    expect(pagesFor(officer)).toEqual(['cases', 'approvals']);
    expect(isOfficerOnly(officer)).toBe(true);
    expect(isOfficerOnly({ ...officer, roles: ['OFFICER', 'IA_INVESTIGATOR'] })).toBe(false);
    expect(pagesFor({ ...analyst, roles: ['APPROVER'] })).toEqual(['cases', 'report', 'approvals', 'accounts']);
    expect(pagesFor({ ...analyst, roles: ['MEDIA_TEAM'] })).toEqual(['approvals', 'accounts']);
    expect(pagesFor({ ...analyst, roles: ['INTEGRATION'] })).toEqual([]);
  });
});

describe('the actions offered on a pre-approval request', () => {
  const approver: Viewer = { subject: 'ssp-south', roles: ['APPROVER'], serviceNumber: null };
  const media: Viewer = { subject: 'media-south', roles: ['MEDIA_TEAM'], serviceNumber: null };

  it('lets the approver decide a pending request, and the media team publish a granted one', () => {
    expect(approvalActions(approver, 'pending')).toEqual(['grant', 'reject']);
    expect(approvalActions(media, 'pending')).toEqual([]);
    expect(approvalActions(media, 'granted')).toEqual(['record-publication']);
    expect(approvalActions(approver, 'granted')).toEqual(['record-publication', 'revoke']);
    expect(approvalActions(approver, 'published')).toEqual([]);
    expect(approvalActions(officer, 'granted')).toEqual([]);
  });

  it('opens the live changes to the readers of cases and reports only', () => {
    expect(readsLiveChanges(analyst)).toBe(true);
    expect(readsLiveChanges(investigator)).toBe(true);
    expect(readsLiveChanges(approver)).toBe(false);
    expect(readsLiveChanges(officer)).toBe(false);
  });

  it('lets approvers and media teams run official accounts', () => {
    expect(runsOfficialAccounts(approver)).toBe(true);
    expect(runsOfficialAccounts(media)).toBe(true);
    expect(runsOfficialAccounts(analyst)).toBe(false);
  });
});
