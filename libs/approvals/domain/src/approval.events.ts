import { DomainEvent } from '@conduct/decider';
import { Jurisdiction } from '@conduct/jurisdiction';

import type { Feature } from '@conduct/policy';

/** What a video or post shows that makes it need pre-approval (SND-1: uniform, vehicles,
 * equipment; SND-2: offices): the policy library's list. */
export { FEATURES, type Feature } from '@conduct/policy';

/** The policy pack version and clauses a decision rests on (docs/policy.md: "records which version and clause"). */
export interface PolicyReference {
  packId: string;
  version: number;
  clauses: string[];
}

export interface ApprovalRequestDetails {
  approvalId: string;
  requester: { id: string; unitId: string };
  jurisdiction: Jurisdiction;
  platform: string;
  officialAccountId: string;
  title: string;
  description: string;
  /** SHA-256 of the exact media, lower-case hex: the approval covers these bytes only. */
  mediaSha256: string;
  features: Feature[];
  intendedPublicationAt: string;
  requestedAt: string;
  policy: PolicyReference;
}

export interface Decision {
  approvalId: string;
  decidedBy: string;
  decidedAt: string;
  policy: PolicyReference;
}

export type ApprovalRequested = DomainEvent<'ApprovalRequested', ApprovalRequestDetails>;
export type ApprovalGranted = DomainEvent<'ApprovalGranted', Decision & { conditions: string[]; validFrom: string; validUntil: string }>;
export type ApprovalRejected = DomainEvent<'ApprovalRejected', Decision & { reasons: string[] }>;
export type ApprovalWithdrawn = DomainEvent<'ApprovalWithdrawn', { approvalId: string; withdrawnBy: string; withdrawnAt: string; reason?: string }>;
export type ApprovalRevoked = DomainEvent<'ApprovalRevoked', Decision & { reason: string }>;
export type ApprovalExpired = DomainEvent<'ApprovalExpired', { approvalId: string; validUntil: string; expiredAt: string }>;

export interface PublicationDetails {
  approvalId: string;
  url: string;
  officialAccountId: string;
  mediaSha256: string;
  publishedAt: string;
  recordedBy: string;
}
export type ContentPublished = DomainEvent<'ContentPublished', PublicationDetails & { recordedAt: string }>;
/** A publication the rules refused (SND-1, SND-5): recorded so headquarters can count attempts. */
export type PublicationRefused = DomainEvent<
  'PublicationRefused',
  PublicationDetails & { refusedAt: string; clause: string; code: string; reason: string }
>;

export type ApprovalEvent =
  | ApprovalRequested
  | ApprovalGranted
  | ApprovalRejected
  | ApprovalWithdrawn
  | ApprovalRevoked
  | ApprovalExpired
  | ContentPublished
  | PublicationRefused;
