import { OfficialAccountRegisteredV1 } from './official-account-registered.v1';
import { OfficialAccountReinstatedV1 } from './official-account-reinstated.v1';
import { OfficialAccountSuspendedV1 } from './official-account-suspended.v1';

/** The official-account registry's events on conduct.approvals.v1 (part of approvalContracts). */
export const officialAccountContracts = {
  OfficialAccountRegistered: { schemaVersion: 1, data: OfficialAccountRegisteredV1 },
  OfficialAccountSuspended: { schemaVersion: 1, data: OfficialAccountSuspendedV1 },
  OfficialAccountReinstated: { schemaVersion: 1, data: OfficialAccountReinstatedV1 },
} as const;
