import { Controller, Get, Query, Res } from '@nestjs/common';
import { IdParam } from '@conduct/http';
import { AccessAudited, KeepSealed } from '@conduct/service-runtime';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal } from '@conduct/auth';
import { GetCaseQueryDto } from './get-case.dto';
import { CaseTrail, CaseVerification, CaseView, GetCaseQuery, GetCaseTrailQuery, VerifyCaseQuery } from './get-case.query';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@Controller('cases/:caseId')
export class GetCaseController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @AccessAudited('case.read')
  @ApiOperation({ summary: 'One case: its current state, or as it was at ?asOf= (ETag = version)' })
  @ApiOkResponse({ description: 'The case file and where its outcome stands' })
  async get(
    @IdParam('caseId') caseId: string,
    @Query() query: GetCaseQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseView> {
    const view = await this.queries.execute(new GetCaseQuery(caseId, principal, query.asOf));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Get('events')
  @AccessAudited('case.events')
  // As hashed: a verifier recomputes the chain from this answer, so personal data stays sealed here (ADR 21).
  @KeepSealed()
  @ApiOperation({
    summary: 'The full trail: every event with its actor, reasons, times and hash chain (ETag = version); personal data sealed, as hashed',
  })
  @ApiOkResponse({ description: 'The events in version order' })
  async trail(
    @IdParam('caseId') caseId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseTrail> {
    const trail = await this.queries.execute(new GetCaseTrailQuery(caseId, principal));
    response.setHeader('ETag', `"${trail.version}"`);
    return trail;
  }

  @Get('verification')
  @ApiOperation({ summary: 'Recompute the case’s hash chain: intact, or the first version at fault' })
  @ApiOkResponse({ description: 'intact, eventsChecked and brokenAt' })
  async verify(@IdParam('caseId') caseId: string, @CurrentPrincipal() principal: Principal): Promise<CaseVerification> {
    return this.queries.execute(new VerifyCaseQuery(caseId, principal));
  }
}
