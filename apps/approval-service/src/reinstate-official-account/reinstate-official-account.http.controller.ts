import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { OfficialAccountChanged, withETag } from '../official-account-stream';
import { ReinstateOfficialAccountCommand } from './reinstate-official-account.command';
import { ReinstateOfficialAccountDto } from './reinstate-official-account.dto';

@ApiTags('official-accounts')
@ApiBearerAuth()
@ApiParam({ name: 'accountId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412 and changes nothing' })
@Controller('official-accounts/:accountId')
export class ReinstateOfficialAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post('reinstate')
  @HttpCode(200)
  @Roles('APPROVER', 'MEDIA_TEAM')
  @ApiOperation({
    summary: 'Reinstate a suspended official account',
    description:
      'Appends OfficialAccountReinstated. Needs an APPROVER other than the one who suspended the account (403 otherwise). ' +
      '409 if the account is not suspended; outside your scope the account does not exist (404).',
  })
  @ApiOkResponse({ type: OfficialAccountChanged })
  async reinstate(
    @StreamCommand('accountId') context: StreamCommandContext,
    @Body() body: ReinstateOfficialAccountDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OfficialAccountChanged> {
    return withETag(await this.commands.execute(new ReinstateOfficialAccountCommand(context, body)), response);
  }
}
