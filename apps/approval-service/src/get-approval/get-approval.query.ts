import { Query } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';

export class GetApprovalQuery extends Query<ApprovalView> {
  constructor(
    readonly approvalId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface ApprovalHistoryEntry {
  version: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string };
  data: unknown;
}

export interface ApprovalView {
  approvalId: string;
  status: string;
  version: number;
  request: unknown;
  history: ApprovalHistoryEntry[];
}
