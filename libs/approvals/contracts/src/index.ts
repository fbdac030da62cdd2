import { ApprovalRequestedV1 } from './approval-requested.v1';

export * from './approval-requested.v1';

/** The approval events published on conduct.approvals.v1, with their current schema version and
 * the class that validates their `data`. Consumers register handlers by these names. */
export const approvalContracts = {
  ApprovalRequested: { schemaVersion: 1, data: ApprovalRequestedV1 },
} as const;

export type ApprovalContractType = keyof typeof approvalContracts;
