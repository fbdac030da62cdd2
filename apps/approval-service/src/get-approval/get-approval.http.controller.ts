import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '@conduct/http';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { APPROVAL_READERS } from '../approval-readers';
import { ApprovalView, GetApprovalQuery } from './get-approval.query';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class GetApprovalController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':approvalId')
  @Roles(...APPROVAL_READERS)
  @ApiOperation({
    summary: 'One approval request: its current state and full event history (ETag = version)',
    description: 'Outside your scope a request does not exist for you (404); an officer sees their own requests only.',
  })
  @ApiOkResponse({ description: 'The approval with its history' })
  async get(
    @IdParam('approvalId') approvalId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalView> {
    const view = await this.queries.execute(new GetApprovalQuery(approvalId, principal));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
