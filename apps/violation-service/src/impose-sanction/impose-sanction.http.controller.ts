import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { ImposeSanctionCommand } from './impose-sanction.command';
import { ImposeSanctionDto } from './impose-sanction.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId/sanctions')
export class ImposeSanctionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Impose a sanction from the pack’s list on a standing substantiated finding' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async impose(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: ImposeSanctionDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new ImposeSanctionCommand(context, body)), response);
  }
}
