import { Command } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';
import { RequestApprovalDto } from './request-approval.dto';

export class RequestApprovalCommand extends Command<ApprovalCreated> {
  constructor(
    readonly request: RequestApprovalDto,
    readonly principal: Principal,
    readonly correlationId: string,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

/** What `POST /approvals` answers, the first time and on every repeat with the same key. */
export interface ApprovalCreated {
  approvalId: string;
  status: 'pending';
  version: number;
}
