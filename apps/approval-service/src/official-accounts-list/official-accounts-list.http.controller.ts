import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@conduct/auth';
import { OfficialAccountsListQueryDto } from './official-accounts-list.dto';
import { OfficialAccountsList, OfficialAccountsListQuery } from './official-accounts-list.query';

/** Any authenticated caller may look the registry up; the scope limits what they see. */
@ApiTags('official-accounts')
@ApiBearerAuth()
@Controller('official-accounts')
export class OfficialAccountsListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Registered official accounts in your scope, newest first, with filters and paging',
    description: 'A read model fed from conduct.approvals.v1: a change shows here a moment after its command answered.',
  })
  @ApiOkResponse({ type: OfficialAccountsList })
  list(@Query() filters: OfficialAccountsListQueryDto, @CurrentPrincipal() principal: Principal): Promise<OfficialAccountsList> {
    return this.queries.execute(new OfficialAccountsListQuery(filters, principal.scope));
  }
}
