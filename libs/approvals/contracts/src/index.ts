// class-transformer's @Type needs the metadata polyfill before any contract class loads.
import 'reflect-metadata';
import { ApprovalRequestedV1 } from './approval-requested.v1';
import {
  ApprovalExpiredV1,
  ApprovalGrantedV1,
  ApprovalRejectedV1,
  ApprovalRevokedV1,
  ApprovalWithdrawnV1,
  ContentPublishedV1,
  PublicationRefusedV1,
} from './approval-decisions.v1';
import { officialAccountContracts } from './official-account.contracts';
import { orgUnitContracts } from './org-unit.v1';

export * from './approval-requested.v1';
export * from './approval-decisions.v1';
export * from './official-account-registered.v1';
export * from './official-account-suspended.v1';
export * from './official-account-reinstated.v1';
export * from './official-account.contracts';
export * from './org-unit.v1';

/** The approval events published on conduct.approvals.v1, with their current schema version and
 * the class that validates their `data`. Consumers register handlers by these names. */
export const approvalContracts = {
  ApprovalRequested: { schemaVersion: 1, data: ApprovalRequestedV1 },
  ApprovalGranted: { schemaVersion: 1, data: ApprovalGrantedV1 },
  ApprovalRejected: { schemaVersion: 1, data: ApprovalRejectedV1 },
  ApprovalWithdrawn: { schemaVersion: 1, data: ApprovalWithdrawnV1 },
  ApprovalRevoked: { schemaVersion: 1, data: ApprovalRevokedV1 },
  ApprovalExpired: { schemaVersion: 1, data: ApprovalExpiredV1 },
  ContentPublished: { schemaVersion: 1, data: ContentPublishedV1 },
  PublicationRefused: { schemaVersion: 1, data: PublicationRefusedV1 },
  ...officialAccountContracts,
  ...orgUnitContracts,
} as const;

export type ApprovalContractType = keyof typeof approvalContracts;
