import { DomainEvent } from '@conduct/decider';
import { Jurisdiction } from '@conduct/jurisdiction';

/** What a video or post shows that makes it need pre-approval (SND-1: uniform, vehicles,
 * equipment; SND-2: offices). */
export const FEATURES = ['uniform', 'vehicle', 'equipment', 'office-premises'] as const;
export type Feature = (typeof FEATURES)[number];

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
}

export type ApprovalRequested = DomainEvent<'ApprovalRequested', ApprovalRequestDetails>;

export type ApprovalEvent = ApprovalRequested;
