import { StreamTransition } from '@conduct/http';
import { ApprovalChanged } from '../approval-stream';
import { GrantApprovalDto, RejectApprovalDto } from './decide-approval.dto';

export class GrantApprovalCommand extends StreamTransition<GrantApprovalDto, ApprovalChanged> {}
export class RejectApprovalCommand extends StreamTransition<RejectApprovalDto, ApprovalChanged> {}
