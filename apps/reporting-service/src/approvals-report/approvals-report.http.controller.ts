import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { ApprovalsReportQueryDto } from './approvals-report.dto';
import { ApprovalsReport, ApprovalsReportQuery } from './approvals-report.query';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/approvals')
export class ApprovalsReportController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Approval requests in your scope, newest first, with filters and paging' })
  @ApiOkResponse({ description: 'A page of approval requests' })
  list(@Query() filters: ApprovalsReportQueryDto, @CurrentPrincipal() principal: Principal): Promise<ApprovalsReport> {
    return this.queries.execute(new ApprovalsReportQuery(filters, principal.scope));
  }
}
