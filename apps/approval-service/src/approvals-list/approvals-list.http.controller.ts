import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { APPROVAL_READERS } from '../approval-readers';
import { Page } from '@conduct/queries';
import { ApprovalsListQueryDto } from './approvals-list.dto';
import { ApprovalsListQuery, ApprovalSummary } from './approvals-list.handler';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...APPROVAL_READERS)
  @ApiOperation({
    summary: 'Approval requests in your scope, newest first',
    description:
      'Approver’s inbox: `?status=pending`. Your own requests: `?requester=me` (an officer sees only those). ' +
      'Updated from the event stream within milliseconds of a change.',
  })
  @ApiOkResponse({ description: 'A page of approval summaries' })
  list(@Query() filters: ApprovalsListQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<ApprovalSummary>> {
    return this.queries.execute(new ApprovalsListQuery(filters, principal));
  }
}
