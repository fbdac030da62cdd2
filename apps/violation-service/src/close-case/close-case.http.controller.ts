import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { CloseCaseCommand, ReopenCaseCommand } from './close-case.command';
import { CloseCaseDto, ReopenCaseDto } from './close-case.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId')
export class CloseCaseController {
  constructor(private readonly commands: CommandBus) {}

  @Post('close')
  @HttpCode(200)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Close the case on a final outcome (no pending appeal or takedown, no appeal window open)' })
  @ApiOkResponse({ type: CaseChangedView })
  async close(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: CloseCaseDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new CloseCaseCommand(context, body)), response);
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Reopen a closed case: it is investigated afresh and the next finding supersedes the last' })
  @ApiOkResponse({ type: CaseChangedView })
  async reopen(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: ReopenCaseDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new ReopenCaseCommand(context, body)), response);
  }
}
