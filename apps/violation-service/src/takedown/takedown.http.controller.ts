import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { IdParam, StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { ConfirmContentRemovalCommand, IssueTakedownNoticeCommand } from './takedown.command';
import { ConfirmContentRemovalDto, IssueTakedownNoticeDto } from './takedown.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId/takedown-notices')
export class TakedownController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR')
  @ApiOperation({ summary: 'Serve a takedown notice (SND-6): due after the takedown period of the case’s pack; answers its noticeId' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async issue(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: IssueTakedownNoticeDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    const { noticeId, ...changed } = await this.commands.execute(new IssueTakedownNoticeCommand(context, body));
    response.setHeader('Location', `/cases/${changed.caseId}/takedown-notices/${noticeId}`);
    return changedView(changed, response, { noticeId });
  }

  @Post(':noticeId/removal')
  @HttpCode(200)
  @Roles('IA_INVESTIGATOR')
  @ApiParam({ name: 'noticeId', format: 'uuid' })
  @ApiOperation({ summary: 'Confirm the content was removed (late removals are recorded as such)' })
  @ApiOkResponse({ type: CaseChangedView })
  async confirmRemoval(
    @StreamCommand('caseId') context: StreamCommandContext,
    @IdParam('noticeId') noticeId: string,
    @Body() body: ConfirmContentRemovalDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new ConfirmContentRemovalCommand(context, body, noticeId)), response);
  }
}
