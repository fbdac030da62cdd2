import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { IssueShowCauseNoticeCommand, RecordPersonalHearingCommand, RecordShowCauseReplyCommand } from './due-process.command';
import { IssueShowCauseNoticeDto, RecordPersonalHearingDto, RecordShowCauseReplyDto } from './due-process.dto';

/**
 * Due process before a major penalty (Police (Efficiency and Discipline) Rules): the show-cause
 * notice, the officer's written reply (its lapse is recorded by the service), the personal hearing.
 */
@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId')
export class DueProcessController {
  constructor(private readonly commands: CommandBus) {}

  @Post('show-cause-notice')
  @HttpCode(201)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({
    summary: 'Serve a show-cause notice: the grounds, the penalty proposed, the reply due after the pack’s period; answers its showCauseId',
  })
  @ApiCreatedResponse({ type: CaseChangedView })
  async issue(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: IssueShowCauseNoticeDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    const { showCauseId, ...changed } = await this.commands.execute(new IssueShowCauseNoticeCommand(context, body));
    return changedView(changed, response, { showCauseId });
  }

  @Post('show-cause-notice/reply')
  @HttpCode(201)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Record the officer’s written reply, received by its deadline' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async reply(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: RecordShowCauseReplyDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new RecordShowCauseReplyCommand(context, body)), response);
  }

  @Post('hearing')
  @HttpCode(201)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Record the personal hearing, after the reply or its lapse, with or without the officer' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async hearing(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: RecordPersonalHearingDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new RecordPersonalHearingCommand(context, body)), response);
  }
}
