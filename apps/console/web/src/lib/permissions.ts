/**
 * The role and ownership rules the services enforce, mirrored so that the console offers only the
 * actions a person may take (no button for one they may not). The services still decide: a
 * refusal they answer is shown as it comes.
 */
export type Role = 'OFFICER' | 'MEDIA_TEAM' | 'APPROVER' | 'IA_INVESTIGATOR' | 'DISCIPLINARY_AUTHORITY' | 'HQ_ANALYST' | 'INTEGRATION' | 'ADMIN';

export interface Viewer {
  subject: string;
  roles: readonly Role[];
  serviceNumber: string | null;
}

/** What the case page needs of GET /cases/:id. */
export interface CaseView {
  status: 'open' | 'closed';
  outcome?: { stage?: string };
  file?: {
    investigatorId?: string | null;
    takedown?: { status: string } | null;
    report?: { officer?: { serviceNumber?: string } };
  };
}

export const CASE_ACTIONS = ['assign-self', 'serve-takedown', 'record-removal', 'add-note', 'record-finding', 'impose-sanction', 'close'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const has = (viewer: Viewer, ...roles: Role[]) => roles.some((role) => viewer.roles.includes(role));

/** The actions offered on a case, in the order a case usually takes them. */
export function caseActions(viewer: Viewer, view: CaseView): CaseAction[] {
  if (view.status !== 'open') return [];
  const stage = view.outcome?.stage;
  const takedown = view.file?.takedown?.status;
  const assignedToViewer = view.file?.investigatorId === viewer.subject;
  const actions: CaseAction[] = [];
  if (has(viewer, 'IA_INVESTIGATOR') && !assignedToViewer) actions.push('assign-self');
  if (has(viewer, 'IA_INVESTIGATOR') && takedown !== 'pending' && takedown !== 'missed') actions.push('serve-takedown');
  if (has(viewer, 'IA_INVESTIGATOR') && (takedown === 'pending' || takedown === 'missed')) actions.push('record-removal');
  if (has(viewer, 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')) actions.push('add-note');
  if (has(viewer, 'IA_INVESTIGATOR') && assignedToViewer && stage === 'investigating') actions.push('record-finding');
  if (has(viewer, 'DISCIPLINARY_AUTHORITY') && stage === 'found') actions.push('impose-sanction');
  if (has(viewer, 'DISCIPLINARY_AUTHORITY')) actions.push('close');
  return actions;
}

export const APPROVAL_ACTIONS = ['grant', 'reject', 'record-publication', 'revoke'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** The actions offered on a pre-approval request in its status. */
export function approvalActions(viewer: Viewer, status: string): ApprovalAction[] {
  const actions: ApprovalAction[] = [];
  if (status === 'pending' && has(viewer, 'APPROVER')) actions.push('grant', 'reject');
  if (status === 'granted' && has(viewer, 'MEDIA_TEAM', 'APPROVER')) actions.push('record-publication');
  if (status === 'granted' && has(viewer, 'APPROVER')) actions.push('revoke');
  return actions;
}

/** Who may listen to reporting-service's live changes (GET /live): the readers of cases and reports. */
export function readsLiveChanges(viewer: Viewer): boolean {
  return has(viewer, 'HQ_ANALYST', 'ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY');
}

/** Who registers, suspends and reinstates official accounts (SND-5). */
export function runsOfficialAccounts(viewer: Viewer): boolean {
  return has(viewer, 'APPROVER', 'MEDIA_TEAM');
}

export type Page = 'cases' | 'report' | 'approvals' | 'accounts' | 'dashboard';

/** True for a person whose only role is OFFICER: they see their own cases and requests. */
export function isOfficerOnly(viewer: Viewer): boolean {
  return viewer.roles.length > 0 && viewer.roles.every((role) => role === 'OFFICER');
}

/** The pages a person's roles open, in the order of the navigation. */
export function pagesFor(viewer: Viewer): Page[] {
  const pages: Page[] = [];
  // An officer's list holds the cases about themselves only (violation-service decides that).
  if (has(viewer, 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'APPROVER', 'HQ_ANALYST', 'ADMIN', 'OFFICER')) pages.push('cases');
  if (has(viewer, 'IA_INVESTIGATOR', 'APPROVER')) pages.push('report');
  if (has(viewer, 'OFFICER', 'MEDIA_TEAM', 'APPROVER', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST', 'ADMIN')) pages.push('approvals');
  if (has(viewer, 'APPROVER', 'MEDIA_TEAM', 'ADMIN')) pages.push('accounts');
  if (has(viewer, 'HQ_ANALYST', 'ADMIN')) pages.push('dashboard');
  return pages;
}
