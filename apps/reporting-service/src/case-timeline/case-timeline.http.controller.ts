import { Controller, Get } from '@nestjs/common';
import { IdParam } from '@conduct/http';
import { AccessAudited } from '@conduct/service-runtime';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CaseTimeline, CaseTimelineQuery } from './case-timeline.query';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:caseId/timeline')
export class CaseTimelineController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @AccessAudited('case.timeline')
  @Roles('HQ_ANALYST', 'ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiOperation({
    summary: "A case's full timeline — its events and its notices', with actor, reasons and time — and whether each hash chain is intact",
  })
  @ApiOkResponse({ description: 'Events in time order and a verification per stream' })
  @ApiNotFoundResponse({ description: 'No such case in your scope' })
  timeline(@IdParam('caseId') caseId: string, @CurrentPrincipal() principal: Principal): Promise<CaseTimeline> {
    return this.queries.execute(new CaseTimelineQuery(caseId, principal));
  }
}
