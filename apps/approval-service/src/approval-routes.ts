import { approvalContracts } from '@conduct/approvals-contracts';
import { EventRow, RelayRoute, Topics } from '@conduct/messaging';

/** Every approval event with a contract goes to conduct.approvals.v1; anything else stays private. */
export const routeApprovalEvent = (row: EventRow): RelayRoute =>
  Object.hasOwn(approvalContracts, row.type) ? { topic: Topics.approvals } : null;
