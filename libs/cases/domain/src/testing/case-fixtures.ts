import { fold, specFor } from '@conduct/decider';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';
import { CaseActor, CaseCommand, ReportViolation } from '../case.commands';
import { caseDecider } from '../case.decider';
import {
  AppealDecided,
  AppealFiled,
  CaseEvent,
  Evidence,
  FindingRecorded,
  InvestigatorAssigned,
  PersonalHearingHeld,
  SanctionImposed,
  ShowCauseNoticeIssued,
  ShowCauseReplyReceived,
  TakedownNoticeIssued,
  ViolationReported,
} from '../case.events';

/*
 * One Karachi South case, shared by the decider specs: a constable's TikTok video in uniform
 * (SND-1), reported by internal affairs, on a timeline from report to reopening.
 */

export const spec = specFor(caseDecider);

/** The events a command yields after `given`, for assertions on a part of them. */
export const decided = (given: readonly CaseEvent[], command: CaseCommand): CaseEvent[] => caseDecider.decide(command, fold(caseDecider, given));

const catalogue = PolicyCatalogue.builtIn();
export function pack(packId: string, version: number): PolicyPackVersion {
  const found = catalogue.find(packId, version);
  if (!found) throw new Error(`no built-in pack ${packId} v${version}`);
  return found;
}
export const sindh = pack('sindh', 2);

export const caseId = 'c0ffee00-0000-4000-8000-000000000001';
export const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
export const officer = { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' };

export const investigator: CaseActor = { id: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh', range: 'karachi' } };
export const otherInvestigator: CaseActor = { id: 'ia-sana', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } };
export const authority: CaseActor = { id: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', district: 'karachi-south' } };
export const appellateAuthority: CaseActor = { id: 'da-range', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', range: 'karachi' } };
export const ssp: CaseActor = { id: 'ssp-south', roles: ['APPROVER'], scope: { province: 'sindh', district: 'karachi-south' } };
export const mediaTeam: CaseActor = { id: 'media-south', roles: ['MEDIA_TEAM'], scope: { province: 'sindh', district: 'karachi-south' } };
export const punjabInvestigator: CaseActor = { id: 'ia-lahore', roles: ['IA_INVESTIGATOR'], scope: { province: 'punjab' } };
export const officerConcerned: CaseActor = {
  id: officer.serviceNumber,
  serviceNumber: officer.serviceNumber,
  roles: ['OFFICER'],
  scope: { province: 'sindh', unit: 'ps-clifton' },
};

// The timeline, in order.
export const observedAt = '2026-03-01T10:00:00.000Z';
export const becameKnownAt = '2026-03-02T09:00:00.000Z';
export const reportedAt = '2026-03-03T09:00:00.000Z';
export const assignedAt = '2026-03-03T10:00:00.000Z';
export const servedAt = '2026-03-04T09:00:00.000Z';
export const dueAt = '2026-03-11T09:00:00.000Z';
export const foundAt = '2026-03-20T09:00:00.000Z';
export const findingAppealableUntil = '2026-04-19T09:00:00.000Z';
export const showCauseServedAt = '2026-03-20T12:00:00.000Z';
/** showCauseServedAt + Sindh's 14 days to reply. */
export const replyDueAt = '2026-04-03T12:00:00.000Z';
export const replyReceivedAt = '2026-03-22T09:00:00.000Z';
export const hearingHeldAt = '2026-03-24T09:00:00.000Z';
export const sanctionedAt = '2026-03-25T09:00:00.000Z';
export const sanctionAppealableUntil = '2026-04-24T09:00:00.000Z';
export const appealedAt = '2026-04-01T09:00:00.000Z';
export const appealDecidedAt = '2026-04-15T09:00:00.000Z';
export const closedAt = '2026-05-01T09:00:00.000Z';
export const reopenedAt = '2026-06-01T09:00:00.000Z';

export const evidence: Evidence = {
  evidenceId: 'ev-1',
  sha256: 'a'.repeat(64),
  capturedAt: '2026-03-02T09:30:00.000Z',
  capturedBy: investigator.id,
  archiveLocation: 's3://conduct-evidence/ev-1',
};

export const report = (overrides: Partial<ReportViolation['data']> = {}): ReportViolation => ({
  type: 'ReportViolation',
  data: {
    caseId,
    actor: investigator,
    officer,
    jurisdiction: karachiSouth,
    platform: 'tiktok',
    contentUrl: 'https://www.tiktok.com/@imran.ali/video/1',
    conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
    evidence,
    clauses: ['SND-1'],
    observedAt,
    becameKnownAt,
    onDuty: true,
    description: 'Video filmed in uniform at the Clifton police station',
    pack: sindh,
    now: reportedAt,
    ...overrides,
  },
});

export const reported: ViolationReported = {
  type: 'ViolationReported',
  data: {
    caseId,
    officer,
    jurisdiction: karachiSouth,
    platform: 'tiktok',
    contentUrl: 'https://www.tiktok.com/@imran.ali/video/1',
    conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
    evidence,
    observedAt,
    becameKnownAt,
    onDuty: true,
    description: 'Video filmed in uniform at the Clifton police station',
    policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
    escalationLevel: 'SSP',
    reportedBy: investigator.id,
    reportedAt,
  },
};

export const assigned = (investigatorId = investigator.id, replaces?: string): InvestigatorAssigned => ({
  type: 'InvestigatorAssigned',
  data: { caseId, investigatorId, ...(replaces ? { replaces } : {}), assignedBy: authority.id, assignedAt },
});

export const coverageFound: CaseEvent = {
  type: 'ApprovalCoverageFound',
  data: {
    caseId,
    approvalId: 'appr-1',
    accountId: 'acc-ssp-south',
    mediaSha256: evidence.sha256,
    publishedAt: '2026-02-28T09:00:00.000Z',
    foundAt: reportedAt,
  },
};

export const noticeIssued = (noticeId = 'notice-1', served = servedAt, due = dueAt): TakedownNoticeIssued => ({
  type: 'TakedownNoticeIssued',
  data: {
    caseId,
    noticeId,
    contentUrl: reported.data.contentUrl,
    servedOn: officer.serviceNumber,
    servedAt: served,
    dueAt: due,
    issuedBy: investigator.id,
    issuedAt: served,
  },
});
export const removalConfirmed = (noticeId = 'notice-1'): CaseEvent => ({
  type: 'ContentRemovalConfirmed',
  data: {
    caseId,
    noticeId,
    verifiedBy: investigator.id,
    verifiedAt: '2026-03-06T09:00:00.000Z',
    withinDeadline: true,
    recordedAt: '2026-03-06T09:00:00.000Z',
  },
});
export const deadlineMissed = (noticeId = 'notice-1', due = dueAt): CaseEvent => ({
  type: 'TakedownDeadlineMissed',
  data: { caseId, noticeId, dueAt: due, missedAt: due },
});
export const escalated = (from: string, to: string, noticeId = 'notice-1', at = dueAt): CaseEvent => ({
  type: 'CaseEscalated',
  data: { caseId, from, to, reason: 'takedown-deadline-missed', noticeId, escalatedAt: at },
});

export const substantiated: FindingRecorded = {
  type: 'FindingRecorded',
  data: {
    caseId,
    outcome: 'substantiated',
    clauses: ['SND-1'],
    appealableUntil: findingAppealableUntil,
    reasons: ['The video shows the uniform and was not pre-approved'],
    recordedBy: investigator.id,
    recordedAt: foundAt,
  },
};
export const cleared = (outcome: 'not-substantiated' | 'covered-by-approval' = 'not-substantiated'): FindingRecorded => ({
  type: 'FindingRecorded',
  data: { caseId, outcome, reasons: ['The person in the video is not the officer'], recordedBy: investigator.id, recordedAt: foundAt },
});

export const showCauseServed = (proposedSanction = 'dismissal'): ShowCauseNoticeIssued => ({
  type: 'ShowCauseNoticeIssued',
  data: {
    caseId,
    showCauseId: 'show-cause-1',
    servedOn: officer.serviceNumber,
    grounds: ['Posted a video in uniform without approval (SND-1)'],
    proposedSanction,
    servedAt: showCauseServedAt,
    replyDueAt,
    issuedBy: authority.id,
    issuedAt: showCauseServedAt,
  },
});
export const replyReceived: ShowCauseReplyReceived = {
  type: 'ShowCauseReplyReceived',
  data: {
    caseId,
    showCauseId: 'show-cause-1',
    reply: 'The video was filmed off duty',
    receivedAt: replyReceivedAt,
    recordedBy: authority.id,
    recordedAt: replyReceivedAt,
  },
};
export const replyLapsed: CaseEvent = {
  type: 'ShowCauseReplyLapsed',
  data: { caseId, showCauseId: 'show-cause-1', replyDueAt, lapsedAt: replyDueAt },
};
export const hearingHeld = (officerPresent = true, heldAt = hearingHeldAt): PersonalHearingHeld => ({
  type: 'PersonalHearingHeld',
  data: {
    caseId,
    showCauseId: 'show-cause-1',
    heldAt,
    officerPresent,
    record: 'Heard the officer in person',
    heldBy: authority.id,
    recordedAt: heldAt,
  },
});

export const sanctioned = (sanction = 'censure', severity: 'minor' | 'major' = 'minor'): SanctionImposed => ({
  type: 'SanctionImposed',
  data: {
    caseId,
    sanction,
    severity,
    reasons: ['First breach'],
    imposedBy: authority.id,
    imposedAt: sanctionedAt,
    appealableUntil: sanctionAppealableUntil,
  },
});

export const appealFiled = (against: 'finding' | 'sanction' = 'sanction', at = appealedAt): AppealFiled => ({
  type: 'AppealFiled',
  data: {
    caseId,
    appealId: 'appeal-1',
    against,
    appellant: officer.serviceNumber,
    grounds: ['The video predates the letter'],
    filedBy: officer.serviceNumber,
    filedAt: at,
  },
});
export const appealDecided = (outcome: 'upheld' | 'dismissed'): AppealDecided => ({
  type: 'AppealDecided',
  data: { caseId, appealId: 'appeal-1', outcome, reasons: ['Reviewed the record'], decidedBy: appellateAuthority.id, decidedAt: appealDecidedAt },
});

export const closed: CaseEvent = { type: 'CaseClosed', data: { caseId, reasons: ['Sanction final'], closedBy: authority.id, closedAt } };
export const reopened: CaseEvent = { type: 'CaseReopened', data: { caseId, reasons: ['New evidence'], reopenedBy: authority.id, reopenedAt } };

// Histories reached in the specs, each the prefix of a plausible case.
export const underInvestigation: CaseEvent[] = [reported, assigned()];
export const found: CaseEvent[] = [...underInvestigation, substantiated];
export const withSanction: CaseEvent[] = [...found, sanctioned()];
/** Due process held in full: a major penalty may follow. */
export const heard: CaseEvent[] = [...found, showCauseServed(), replyReceived, hearingHeld()];
export const closedCase: CaseEvent[] = [...underInvestigation, cleared(), closed];
