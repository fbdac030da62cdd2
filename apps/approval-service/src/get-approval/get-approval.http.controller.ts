import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '@conduct/service-runtime';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal } from '@conduct/auth';
import { ApprovalView, GetApprovalQuery } from './get-approval.query';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class GetApprovalController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':approvalId')
  @ApiOperation({ summary: 'One approval request: its current state and full event history (ETag = version)' })
  @ApiOkResponse({ description: 'The approval with its history' })
  async get(
    @IdParam('approvalId') approvalId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalView> {
    const view = await this.queries.execute<GetApprovalQuery, ApprovalView>(new GetApprovalQuery(approvalId, principal));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
