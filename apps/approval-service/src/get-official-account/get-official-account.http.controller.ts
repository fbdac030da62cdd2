import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '@conduct/http';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal } from '@conduct/auth';
import { GetOfficialAccountQuery, OfficialAccountView } from './get-official-account.query';

/** Any authenticated caller may look an account up; outside their scope it does not exist (404). */
@ApiTags('official-accounts')
@ApiBearerAuth()
@Controller('official-accounts')
export class GetOfficialAccountController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':accountId')
  @ApiOperation({ summary: 'One official account: its current state and full event history (ETag = version)' })
  @ApiOkResponse({ type: OfficialAccountView })
  async get(
    @IdParam('accountId') accountId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OfficialAccountView> {
    const view = await this.queries.execute(new GetOfficialAccountQuery(accountId.toLowerCase(), principal));
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
