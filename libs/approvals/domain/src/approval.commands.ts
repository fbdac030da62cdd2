import { Feature } from './approval.events';
import { Jurisdiction } from '@conduct/jurisdiction';

/** Time and ids come with the command: the decider has no clock and makes no ids. */
export interface RequestApproval {
  type: 'RequestApproval';
  data: {
    approvalId: string;
    requester: { id: string; unitId: string };
    jurisdiction: Jurisdiction;
    platform: string;
    officialAccountId: string;
    title: string;
    description: string;
    mediaSha256: string;
    features: Feature[];
    intendedPublicationAt: string;
    now: string;
  };
}

export type ApprovalCommand = RequestApproval;
