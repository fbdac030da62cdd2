import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { RecordFindingCommand } from './record-finding.command';
import { RecordFindingDto } from './record-finding.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId/findings')
export class RecordFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR')
  @ApiOperation({ summary: 'Record the finding (the assigned investigator only); a substantiated one opens the appeal window' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async record(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: RecordFindingDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new RecordFindingCommand(context, body)), response);
  }
}
