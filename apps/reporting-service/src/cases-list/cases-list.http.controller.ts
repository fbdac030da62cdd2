import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CasesListQueryDto } from './cases-list.dto';
import { CasesList, CasesListQuery } from './cases-list.query';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('HQ_ANALYST', 'ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Cases in your scope, newest report first, with filters and paging; officer names only for roles allowed to see them' })
  @ApiOkResponse({ description: 'A page of cases' })
  list(@Query() filters: CasesListQueryDto, @CurrentPrincipal() principal: Principal): Promise<CasesList> {
    return this.queries.execute(new CasesListQuery(filters, principal));
  }
}
