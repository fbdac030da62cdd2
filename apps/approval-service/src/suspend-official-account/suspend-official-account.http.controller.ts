import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { OfficialAccountChanged, withETag } from '../official-account-stream';
import { SuspendOfficialAccountCommand } from './suspend-official-account.command';
import { SuspendOfficialAccountDto } from './suspend-official-account.dto';

@ApiTags('official-accounts')
@ApiBearerAuth()
@ApiParam({ name: 'accountId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412 and changes nothing' })
@Controller('official-accounts/:accountId')
export class SuspendOfficialAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post('suspend')
  @HttpCode(200)
  @Roles('APPROVER', 'MEDIA_TEAM')
  @ApiOperation({
    summary: 'Suspend an active official account: nothing may go out through it until reinstated (SND-5)',
    description: 'Appends OfficialAccountSuspended. 409 if the account is not active; outside your scope the account does not exist (404).',
  })
  @ApiOkResponse({ type: OfficialAccountChanged })
  async suspend(
    @StreamCommand('accountId') context: StreamCommandContext,
    @Body() body: SuspendOfficialAccountDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OfficialAccountChanged> {
    return withETag(await this.commands.execute(new SuspendOfficialAccountCommand(context, body)), response);
  }
}
