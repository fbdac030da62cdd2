import { ApprovalTransition } from '../approval-transition';
import { GrantApprovalDto, RejectApprovalDto } from './decide-approval.dto';

export class GrantApprovalCommand extends ApprovalTransition<GrantApprovalDto> {}
export class RejectApprovalCommand extends ApprovalTransition<RejectApprovalDto> {}
