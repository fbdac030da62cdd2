import { fold } from '@conduct/decider';
import {
  CaseActor,
  CaseCommand,
  caseDecider,
  CaseEvent,
  earlyInterventionFor,
  EarlyInterventionFlagRaised,
  OfficerRecordCommand,
  officerRecordDecider,
  OfficerRecordEvent,
} from '@conduct/cases-domain';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';

/*
 * Real runs of the case decider, so the contract specs and the AsyncAPI examples check what the
 * domain emits rather than hand-written data: a constable's TikTok video in uniform (SND-1),
 * reported in Karachi South, from report to reopening.
 */

const builtIn = PolicyCatalogue.builtIn().find('sindh', 2);
if (!builtIn) throw new Error('no built-in pack sindh v2');
export const sindh: PolicyPackVersion = builtIn;

const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
const officer = { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' };
export const investigator: CaseActor = { id: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh', range: 'karachi' } };
export const authority: CaseActor = { id: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', district: 'karachi-south' } };
export const appellateAuthority: CaseActor = { id: 'da-range', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', range: 'karachi' } };
export const officerConcerned: CaseActor = {
  id: officer.serviceNumber,
  serviceNumber: officer.serviceNumber,
  roles: ['OFFICER'],
  scope: { province: 'sindh', unit: 'ps-clifton' },
};

export const exampleCaseId = 'c0ffee00-0000-4000-8000-000000000001';

/** Runs commands through the real decider, each against the state of the events before it. */
export function run(commands: readonly CaseCommand[]): CaseEvent[] {
  const events: CaseEvent[] = [];
  for (const command of commands) events.push(...caseDecider.decide(command, fold(caseDecider, events)));
  return events;
}

const report = (caseId: string, observedAt: string, now: string): CaseCommand => ({
  type: 'ReportViolation',
  data: {
    caseId,
    actor: investigator,
    officer,
    jurisdiction: karachiSouth,
    platform: 'tiktok',
    contentUrl: 'https://www.tiktok.com/@imran.ali/video/7301',
    conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: true },
    evidence: {
      evidenceId: 'ev-7301-capture',
      sha256: '9b2d6f1e3c4a5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f',
      capturedAt: '2026-03-02T09:30:00.000Z',
      capturedBy: investigator.id,
      archiveLocation: 's3://conduct-evidence/sindh/ev-7301-capture',
    },
    clauses: ['SND-1'],
    observedAt,
    becameKnownAt: '2026-03-02T09:00:00.000Z',
    onDuty: true,
    description: 'Video filmed in uniform inside the Clifton police station, posted without pre-approval.',
    pack: sindh,
    now,
  },
});

/** Report → assignment → evidence → note → takedown notice → missed deadline and escalation →
 * late removal → substantiated finding → show-cause notice → its reply lapsing → personal hearing →
 * major sanction → appeal → reduction → closure → reopening. */
export function contestedCase(): CaseEvent[] {
  return run([
    report(exampleCaseId, '2026-03-01T10:00:00.000Z', '2026-03-03T09:00:00.000Z'),
    { type: 'AssignInvestigator', data: { actor: authority, investigatorId: investigator.id, now: '2026-03-03T10:00:00.000Z' } },
    {
      type: 'AddEvidence',
      data: {
        actor: investigator,
        evidence: {
          evidenceId: 'ev-7301-comments',
          sha256: '3e1f0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
          capturedAt: '2026-03-03T11:00:00.000Z',
          capturedBy: investigator.id,
          archiveLocation: 's3://conduct-evidence/sindh/ev-7301-comments',
        },
        now: '2026-03-03T11:05:00.000Z',
      },
    },
    {
      type: 'AddNote',
      data: { actor: investigator, noteId: 'note-1', text: 'The SHO confirms the video was filmed on duty.', now: '2026-03-03T12:00:00.000Z' },
    },
    {
      type: 'IssueTakedownNotice',
      data: { actor: investigator, noticeId: 'notice-1', servedAt: '2026-03-04T09:00:00.000Z', pack: sindh, now: '2026-03-04T09:00:00.000Z' },
    },
    { type: 'RecordMissedTakedownDeadline', data: { noticeId: 'notice-1', pack: sindh, now: '2026-03-11T09:00:00.000Z' } },
    {
      type: 'ConfirmContentRemoval',
      data: { actor: investigator, noticeId: 'notice-1', verifiedAt: '2026-03-12T15:00:00.000Z', now: '2026-03-12T15:10:00.000Z' },
    },
    {
      type: 'RecordFinding',
      data: {
        outcome: 'substantiated',
        clauses: ['SND-1'],
        actor: investigator,
        reasons: ['The video shows the uniform and was not pre-approved.'],
        pack: sindh,
        now: '2026-03-20T09:00:00.000Z',
      },
    },
    {
      type: 'IssueShowCauseNotice',
      data: {
        actor: authority,
        showCauseId: 'show-cause-1',
        grounds: ['Posted a video in uniform without approval (SND-1) and removed it only after the deadline.'],
        proposedSanction: 'reduction-in-rank',
        servedAt: '2026-03-20T12:00:00.000Z',
        pack: sindh,
        now: '2026-03-20T12:00:00.000Z',
      },
    },
    { type: 'RecordLapsedShowCauseReply', data: { showCauseId: 'show-cause-1', now: '2026-04-03T12:00:00.000Z' } },
    {
      type: 'RecordPersonalHearing',
      data: {
        actor: authority,
        heldAt: '2026-04-06T10:00:00.000Z',
        officerPresent: true,
        record: 'The officer admitted the post and asked for leniency.',
        now: '2026-04-06T11:00:00.000Z',
      },
    },
    {
      type: 'ImposeSanction',
      data: {
        actor: authority,
        sanction: 'reduction-in-rank',
        reasons: ['Ignored the takedown notice.'],
        pack: sindh,
        now: '2026-04-07T09:00:00.000Z',
      },
    },
    {
      type: 'FileAppeal',
      data: {
        actor: officerConcerned,
        appealId: 'appeal-1',
        grounds: ['The video was removed as soon as the notice reached me.'],
        now: '2026-04-10T09:00:00.000Z',
      },
    },
    {
      type: 'DecideAppeal',
      data: {
        outcome: 'sanction-reduced',
        reducedTo: 'censure',
        actor: appellateAuthority,
        reasons: ['First breach; removal was late, not refused.'],
        pack: sindh,
        now: '2026-04-20T09:00:00.000Z',
      },
    },
    { type: 'CloseCase', data: { actor: authority, reasons: ['Sanction final after appeal.'], now: '2026-05-01T09:00:00.000Z' } },
    { type: 'ReopenCase', data: { actor: authority, reasons: ['New evidence of a second video.'], now: '2026-06-01T09:00:00.000Z' } },
  ]);
}

/** A second case: the content comes down in time, the officer answers a show-cause notice, and the finding is set aside on appeal. */
export function clearedCase(caseId = 'c0ffee00-0000-4000-8000-000000000002'): CaseEvent[] {
  return run([
    report(caseId, '2026-03-01T12:00:00.000Z', '2026-03-06T09:00:00.000Z'),
    { type: 'AssignInvestigator', data: { actor: authority, investigatorId: investigator.id, now: '2026-03-06T09:30:00.000Z' } },
    {
      type: 'IssueTakedownNotice',
      data: { actor: investigator, noticeId: 'notice-2', servedAt: '2026-03-06T10:00:00.000Z', pack: sindh, now: '2026-03-06T10:00:00.000Z' },
    },
    {
      type: 'ConfirmContentRemoval',
      data: { actor: investigator, noticeId: 'notice-2', verifiedAt: '2026-03-07T09:00:00.000Z', now: '2026-03-07T09:05:00.000Z' },
    },
    {
      type: 'RecordFinding',
      data: {
        outcome: 'substantiated',
        clauses: ['SND-1'],
        actor: investigator,
        reasons: ['Filmed in uniform.'],
        pack: sindh,
        now: '2026-03-20T09:00:00.000Z',
      },
    },
    {
      type: 'IssueShowCauseNotice',
      data: {
        actor: authority,
        showCauseId: 'show-cause-2',
        grounds: ['Posted a video in uniform without approval (SND-1).'],
        proposedSanction: 'removal',
        servedAt: '2026-03-20T10:00:00.000Z',
        pack: sindh,
        now: '2026-03-20T10:05:00.000Z',
      },
    },
    {
      type: 'RecordShowCauseReply',
      data: {
        actor: authority,
        reply: 'The person in the video is not me.',
        receivedAt: '2026-03-21T09:00:00.000Z',
        now: '2026-03-21T09:30:00.000Z',
      },
    },
    {
      type: 'FileAppeal',
      data: { actor: officerConcerned, appealId: 'appeal-2', grounds: ['The person in the video is not me.'], now: '2026-03-22T09:00:00.000Z' },
    },
    {
      type: 'DecideAppeal',
      data: { outcome: 'upheld', actor: appellateAuthority, reasons: ['Mistaken identity.'], pack: sindh, now: '2026-04-02T09:00:00.000Z' },
    },
    { type: 'CloseCase', data: { actor: authority, reasons: ['Finding set aside on appeal.'], now: '2026-04-03T09:00:00.000Z' } },
  ]);
}

/** A third case: the video turns out to be an approved publication through an official account. */
export function coveredCase(caseId = 'c0ffee00-0000-4000-8000-000000000003'): CaseEvent[] {
  return run([
    report(caseId, '2026-03-01T12:00:00.000Z', '2026-03-06T09:00:00.000Z'),
    {
      type: 'RecordApprovalCoverage',
      data: {
        approvalId: '7d0f0c4e-2b1a-4f7e-8a51-5f1f9c7e2d10',
        accountId: '7092c23e-f245-83f0-b50b-b318c984db32',
        mediaSha256: '9b2d6f1e3c4a5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f',
        publishedAt: '2026-02-28T09:00:00.000Z',
        now: '2026-03-06T09:00:05.000Z',
      },
    },
    { type: 'AssignInvestigator', data: { actor: authority, investigatorId: investigator.id, now: '2026-03-06T09:30:00.000Z' } },
    {
      type: 'RecordFinding',
      data: {
        outcome: 'covered-by-approval',
        actor: investigator,
        reasons: ['Published with approval through the SSP page.'],
        pack: sindh,
        now: '2026-03-07T09:00:00.000Z',
      },
    },
  ]);
}

/** The officer's flag once the pack's threshold of substantiated findings is reached. */
export function earlyInterventionFlag(): EarlyInterventionFlagRaised {
  const recordedAt = [
    '2026-01-10T09:00:00.000Z',
    '2026-02-14T09:00:00.000Z',
    '2026-03-20T09:00:00.000Z',
    '2026-04-01T09:00:00.000Z',
    '2026-05-01T09:00:00.000Z',
  ];
  const substantiatedFindings = recordedAt
    .slice(0, sindh.earlyIntervention.substantiatedFindings)
    .map((at, index) => ({ caseId: `c0ffee00-0000-4000-8000-00000000001${index}`, recordedAt: at }));
  const flag = earlyInterventionFor({ serviceNumber: 'KHI-40172', substantiatedFindings, flaggedCaseIds: [] }, sindh, '2026-05-02T09:00:00.000Z');
  if (!flag) throw new Error(`sindh v2 raised no flag for ${substantiatedFindings.length} findings`);
  return flag;
}

/** An officer's record: a legal hold placed and released, then their personal data erased. */
export function officerRecord(): OfficerRecordEvent[] {
  const admin = { id: 'admin-hq' };
  const serviceNumber = 'KHI-40172';
  const holdId = '8d6f2b1e-4c3a-4e5f-9a7b-1c2d3e4f5a6b';
  const commands: OfficerRecordCommand[] = [
    {
      type: 'PlaceLegalHold',
      data: { serviceNumber, holdId, reasons: ['A writ petition names the officer'], actor: admin, now: '2026-06-01T09:00:00.000Z' },
    },
    {
      type: 'ReleaseLegalHold',
      data: { serviceNumber, holdId, reasons: ['The petition was disposed of'], actor: admin, now: '2026-09-15T09:00:00.000Z' },
    },
    {
      type: 'ErasePersonalData',
      data: {
        serviceNumber,
        reasons: ['The officer asked for erasure'],
        openCaseIds: [],
        basis: 'request',
        actor: admin,
        now: '2026-10-01T09:00:00.000Z',
      },
    },
  ];
  const events: OfficerRecordEvent[] = [];
  for (const command of commands) events.push(...officerRecordDecider.decide(command, fold(officerRecordDecider, events)));
  return events;
}
