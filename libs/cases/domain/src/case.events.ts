import { DomainEvent } from '@conduct/decider';
import { Jurisdiction } from '@conduct/jurisdiction';
import { ContentKind, Feature, SanctionSeverity } from '@conduct/policy';

/** The policy pack version and clauses a case rests on (docs/policy.md: "records which version and clause"). */
export interface PolicyReference {
  packId: string;
  version: number;
  clauses: string[];
}

/** The officer the case is about. Their tokens carry `serviceNumber` in the `service_number` claim (own-case rules). */
export interface OfficerConcerned {
  serviceNumber: string;
  name: string;
  rank: string;
  unitId: string;
}

/** Captured content, proven by its SHA-256 and kept in an archive outside the platform. */
export interface Evidence {
  evidenceId: string;
  /** SHA-256 of the captured bytes, lower-case hex. */
  sha256: string;
  capturedAt: string;
  capturedBy: string;
  /** Where the captured copy is archived, e.g. an object-store URI. */
  archiveLocation: string;
}

/** The facts the reporter states, beyond duty and platform, that decide whether a clause applies. */
export interface ConductDetails {
  kinds: ContentKind[];
  features: Feature[];
  usedOfficialAccount: boolean;
  platformPermitted: boolean;
}

export interface ViolationReport {
  caseId: string;
  officer: OfficerConcerned;
  jurisdiction: Jurisdiction;
  platform: string;
  contentUrl: string;
  conduct: ConductDetails;
  evidence: Evidence;
  /** When the conduct happened: it chose the pack version in `policy`. */
  observedAt: string;
  becameKnownAt: string;
  onDuty: boolean;
  description: string;
  policy: PolicyReference;
  /** The rank answering for the case now: the bottom of the pack's chain of command. */
  escalationLevel: string;
  reportedBy: string;
  reportedAt: string;
}

export type ViolationReported = DomainEvent<'ViolationReported', ViolationReport>;
export type InvestigatorAssigned = DomainEvent<
  'InvestigatorAssigned',
  { caseId: string; investigatorId: string; replaces?: string; assignedBy: string; assignedAt: string }
>;
/** The reported content is an approved publication through an official account (SND-1, SND-5). */
export type ApprovalCoverageFound = DomainEvent<
  'ApprovalCoverageFound',
  { caseId: string; approvalId: string; accountId: string; mediaSha256: string; publishedAt: string; foundAt: string }
>;

export type TakedownNoticeIssued = DomainEvent<
  'TakedownNoticeIssued',
  {
    caseId: string;
    noticeId: string;
    contentUrl: string;
    servedOn: string;
    servedAt: string;
    /** servedAt + the pack's takedown period (SND-6). */
    dueAt: string;
    issuedBy: string;
    issuedAt: string;
  }
>;
export type ContentRemovalConfirmed = DomainEvent<
  'ContentRemovalConfirmed',
  { caseId: string; noticeId: string; verifiedBy: string; verifiedAt: string; withinDeadline: boolean; recordedAt: string }
>;
export type TakedownDeadlineMissed = DomainEvent<'TakedownDeadlineMissed', { caseId: string; noticeId: string; dueAt: string; missedAt: string }>;
export type CaseEscalated = DomainEvent<
  'CaseEscalated',
  { caseId: string; from: string; to: string; reason: 'takedown-deadline-missed'; noticeId: string; escalatedAt: string }
>;

export type EvidenceAdded = DomainEvent<'EvidenceAdded', { caseId: string; evidence: Evidence; addedBy: string; addedAt: string }>;
export type NoteAdded = DomainEvent<'NoteAdded', { caseId: string; noteId: string; text: string; addedBy: string; addedAt: string }>;

export const FINDING_OUTCOMES = ['substantiated', 'not-substantiated', 'covered-by-approval'] as const;
export type FindingOutcome = (typeof FINDING_OUTCOMES)[number];

/** A substantiated finding names the alleged clauses it holds proven and opens an appeal window. */
export type FindingVerdict =
  { outcome: 'substantiated'; clauses: string[]; appealableUntil: string } | { outcome: 'not-substantiated' | 'covered-by-approval' };
export type Finding = { caseId: string } & FindingVerdict & { reasons: string[]; recordedBy: string; recordedAt: string };
export type FindingRecorded = DomainEvent<'FindingRecorded', Finding>;

export interface Sanction {
  caseId: string;
  /** A sanction id from the pack's list, e.g. `censure`. */
  sanction: string;
  severity: SanctionSeverity;
  reasons: string[];
  imposedBy: string;
  imposedAt: string;
  appealableUntil: string;
}
export type SanctionImposed = DomainEvent<'SanctionImposed', Sanction>;

/*
 * Due process before a penalty the pack names (the Police (Efficiency and Discipline) Rules): a
 * show-cause notice with its grounds and the penalty proposed, the officer's written reply by its
 * deadline (or the deadline lapsing), then a personal hearing. One round per finding.
 */
export interface ShowCauseNotice {
  caseId: string;
  showCauseId: string;
  /** The officer's service number. */
  servedOn: string;
  grounds: string[];
  /** A sanction id from the pack's list: what the authority has in mind. */
  proposedSanction: string;
  servedAt: string;
  /** servedAt + the pack's reply period. */
  replyDueAt: string;
  issuedBy: string;
  issuedAt: string;
}
export type ShowCauseNoticeIssued = DomainEvent<'ShowCauseNoticeIssued', ShowCauseNotice>;
/** The officer's written reply, received on time (a reply recorded late but received by the deadline counts). */
export type ShowCauseReplyReceived = DomainEvent<
  'ShowCauseReplyReceived',
  { caseId: string; showCauseId: string; reply: string; receivedAt: string; recordedBy: string; recordedAt: string }
>;
/** No reply came by the deadline: the proceedings go on without it. */
export type ShowCauseReplyLapsed = DomainEvent<'ShowCauseReplyLapsed', { caseId: string; showCauseId: string; replyDueAt: string; lapsedAt: string }>;
/** Held with the officer present, or without them (they did not appear). */
export type PersonalHearingHeld = DomainEvent<
  'PersonalHearingHeld',
  { caseId: string; showCauseId: string; heldAt: string; officerPresent: boolean; record: string; heldBy: string; recordedAt: string }
>;

/** An appeal lies against the standing decision: the finding, or the sanction once one is imposed. */
export type AppealTarget = 'finding' | 'sanction';
export interface Appeal {
  caseId: string;
  appealId: string;
  against: AppealTarget;
  appellant: string;
  grounds: string[];
  filedBy: string;
  filedAt: string;
}
export type AppealFiled = DomainEvent<'AppealFiled', Appeal>;

/**
 * `upheld`: the appellant wins, the finding and any sanction are set aside. `dismissed`: the decision
 * stands. `sanction-reduced`: the finding stands, the sanction is replaced by a lesser one.
 */
export type AppealOutcome = 'upheld' | 'dismissed' | 'sanction-reduced';
export type AppealRuling = { outcome: 'upheld' | 'dismissed' } | { outcome: 'sanction-reduced'; reducedTo: string; severity: SanctionSeverity };
export type AppealDecision = { caseId: string; appealId: string } & AppealRuling & { reasons: string[]; decidedBy: string; decidedAt: string };
export type AppealDecided = DomainEvent<'AppealDecided', AppealDecision>;

export type CaseClosed = DomainEvent<'CaseClosed', { caseId: string; reasons: string[]; closedBy: string; closedAt: string }>;
export type CaseReopened = DomainEvent<'CaseReopened', { caseId: string; reasons: string[]; reopenedBy: string; reopenedAt: string }>;

export type CaseEvent =
  | ViolationReported
  | InvestigatorAssigned
  | ApprovalCoverageFound
  | TakedownNoticeIssued
  | ContentRemovalConfirmed
  | TakedownDeadlineMissed
  | CaseEscalated
  | EvidenceAdded
  | NoteAdded
  | FindingRecorded
  | ShowCauseNoticeIssued
  | ShowCauseReplyReceived
  | ShowCauseReplyLapsed
  | PersonalHearingHeld
  | SanctionImposed
  | AppealFiled
  | AppealDecided
  | CaseClosed
  | CaseReopened;

/**
 * Spans cases, so no case emits it: `earlyInterventionFor` derives it from an officer's history and
 * the service appends it to that officer's stream.
 */
export type EarlyInterventionFlagRaised = DomainEvent<
  'EarlyInterventionFlagRaised',
  {
    serviceNumber: string;
    /** The cases whose substantiated findings fall in the window, oldest first. */
    caseIds: string[];
    threshold: { substantiatedFindings: number; withinDays: number };
    policy: { packId: string; version: number };
    windowStart: string;
    raisedAt: string;
  }
>;
