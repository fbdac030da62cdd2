import { Jurisdiction, Scope } from '@conduct/jurisdiction';
import { Feature, PolicyReference } from './approval.events';

/** Who acts, as the domain needs it: the roles and scope decide what they may do. */
export interface ApprovalActor {
  id: string;
  roles: readonly string[];
  scope: Scope;
}

/** The official account as the registry knows it at the time of the command (SND-5). */
export type AccountStanding = 'active' | 'suspended' | 'unregistered';

// Time and ids come with the command: the decider has no clock and makes no ids.

export interface RequestApproval {
  type: 'RequestApproval';
  data: {
    approvalId: string;
    requester: { id: string; unitId: string };
    jurisdiction: Jurisdiction;
    platform: string;
    officialAccountId: string;
    officialAccount: AccountStanding;
    title: string;
    description: string;
    mediaSha256: string;
    features: Feature[];
    intendedPublicationAt: string;
    policy: PolicyReference;
    now: string;
  };
}

export interface GrantApproval {
  type: 'GrantApproval';
  data: { actor: ApprovalActor; conditions: string[]; validFrom: string; validUntil: string; policy: PolicyReference; now: string };
}

export interface RejectApproval {
  type: 'RejectApproval';
  data: { actor: ApprovalActor; reasons: string[]; policy: PolicyReference; now: string };
}

export interface WithdrawApproval {
  type: 'WithdrawApproval';
  data: { actor: ApprovalActor; reason?: string; now: string };
}

export interface RevokeApproval {
  type: 'RevokeApproval';
  data: { actor: ApprovalActor; reason: string; policy: PolicyReference; now: string };
}

/** Sent by the expiry watcher once the validity window has passed. */
export interface ExpireApproval {
  type: 'ExpireApproval';
  data: { now: string };
}

export interface RecordPublication {
  type: 'RecordPublication';
  data: {
    actor: ApprovalActor;
    url: string;
    officialAccountId: string;
    officialAccount: AccountStanding;
    mediaSha256: string;
    publishedAt: string;
    now: string;
  };
}

export type ApprovalCommand =
  RequestApproval | GrantApproval | RejectApproval | WithdrawApproval | RevokeApproval | ExpireApproval | RecordPublication;
