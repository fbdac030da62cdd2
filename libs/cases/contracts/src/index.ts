// class-transformer's @Type needs the metadata polyfill before any contract class loads.
import 'reflect-metadata';
import { ApprovalCoverageFoundV1, EvidenceAddedV1, InvestigatorAssignedV1, NoteAddedV1 } from './case-investigation.v1';
import { AppealDecidedV1, AppealFiledV1, CaseClosedV1, CaseReopenedV1, FindingRecordedV1, SanctionImposedV1 } from './case-decisions.v1';
import { CaseEscalatedV1, ContentRemovalConfirmedV1, TakedownDeadlineMissedV1, TakedownNoticeIssuedV1 } from './case-takedown.v1';
import { PersonalHearingHeldV1, ShowCauseNoticeIssuedV1, ShowCauseReplyLapsedV1, ShowCauseReplyReceivedV1 } from './case-due-process.v1';
import { EarlyInterventionFlagRaisedV1 } from './early-intervention-flag-raised.v1';
import { ViolationReportedV1 } from './violation-reported.v1';
import { LegalHoldPlacedV1, LegalHoldReleasedV1, PersonalDataErasedV1 } from './officer-record.v1';

export * from './violation-reported.v1';
export * from './case-investigation.v1';
export * from './case-takedown.v1';
export * from './case-decisions.v1';
export * from './case-due-process.v1';
export * from './early-intervention-flag-raised.v1';
export * from './officer-record.v1';

/** The events violation-service publishes on conduct.cases.v1, with their current schema version
 * and the class that validates their `data`. Consumers register handlers by these names. */
export const casesContracts = {
  ViolationReported: { schemaVersion: 1, data: ViolationReportedV1 },
  InvestigatorAssigned: { schemaVersion: 1, data: InvestigatorAssignedV1 },
  ApprovalCoverageFound: { schemaVersion: 1, data: ApprovalCoverageFoundV1 },
  TakedownNoticeIssued: { schemaVersion: 1, data: TakedownNoticeIssuedV1 },
  ContentRemovalConfirmed: { schemaVersion: 1, data: ContentRemovalConfirmedV1 },
  TakedownDeadlineMissed: { schemaVersion: 1, data: TakedownDeadlineMissedV1 },
  CaseEscalated: { schemaVersion: 1, data: CaseEscalatedV1 },
  EvidenceAdded: { schemaVersion: 1, data: EvidenceAddedV1 },
  NoteAdded: { schemaVersion: 1, data: NoteAddedV1 },
  FindingRecorded: { schemaVersion: 1, data: FindingRecordedV1 },
  ShowCauseNoticeIssued: { schemaVersion: 1, data: ShowCauseNoticeIssuedV1 },
  ShowCauseReplyReceived: { schemaVersion: 1, data: ShowCauseReplyReceivedV1 },
  ShowCauseReplyLapsed: { schemaVersion: 1, data: ShowCauseReplyLapsedV1 },
  PersonalHearingHeld: { schemaVersion: 1, data: PersonalHearingHeldV1 },
  SanctionImposed: { schemaVersion: 1, data: SanctionImposedV1 },
  AppealFiled: { schemaVersion: 1, data: AppealFiledV1 },
  AppealDecided: { schemaVersion: 1, data: AppealDecidedV1 },
  CaseClosed: { schemaVersion: 1, data: CaseClosedV1 },
  CaseReopened: { schemaVersion: 1, data: CaseReopenedV1 },
  EarlyInterventionFlagRaised: { schemaVersion: 1, data: EarlyInterventionFlagRaisedV1 },
  LegalHoldPlaced: { schemaVersion: 1, data: LegalHoldPlacedV1 },
  LegalHoldReleased: { schemaVersion: 1, data: LegalHoldReleasedV1 },
  PersonalDataErased: { schemaVersion: 1, data: PersonalDataErasedV1 },
} as const;

export type CaseContractType = keyof typeof casesContracts;

/** The events of an officer's own stream (streamType `officer`, key = service number) rather than a case's. */
export const OFFICER_STREAM_EVENT_TYPES: readonly CaseContractType[] = [
  'EarlyInterventionFlagRaised',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'PersonalDataErased',
];
