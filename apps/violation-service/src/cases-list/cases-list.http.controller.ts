import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CasesListQueryDto } from './cases-list.dto';
import { CasesListQuery, CasesPage } from './cases-list.handler';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('IA_INVESTIGATOR', 'APPROVER', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST', 'ADMIN', 'OFFICER')
  @ApiOperation({
    summary: 'Cases in your scope, newest first, with filters and paging',
    description:
      'An officer gets the cases about themselves only, in their reduced view. Overdue takedowns: `?overdue=true`. One officer: `?officer=<service number>`. One investigator’s: `?investigator=<subject>`. Cases alleging a clause: `?clause=SND-1`. ' +
      'A read model fed from conduct.cases.v1: a change shows here a moment after its command answered.',
  })
  @ApiOkResponse({ description: 'A page of case summaries' })
  list(@Query() filters: CasesListQueryDto, @CurrentPrincipal() principal: Principal): Promise<CasesPage> {
    return this.queries.execute(new CasesListQuery(filters, principal));
  }
}
