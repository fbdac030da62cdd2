import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { IdParam, StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { DecideAppealCommand, FileAppealCommand } from './appeal.command';
import { DecideAppealDto, FileAppealDto } from './appeal.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId/appeals')
export class AppealController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  // The officer concerned files their own appeal; the disciplinary authority records one lodged on paper.
  @Roles('OFFICER', 'DISCIPLINARY_AUTHORITY')
  @ApiOperation({
    summary: 'Appeal the standing decision (the finding, or the sanction once imposed), within its appeal window; answers the appealId',
  })
  @ApiCreatedResponse({ type: CaseChangedView })
  async file(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: FileAppealDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    const { appealId, ...changed } = await this.commands.execute(new FileAppealCommand(context, body));
    return changedView(changed, response, { appealId });
  }

  @Post(':appealId/decision')
  @HttpCode(200)
  @Roles('DISCIPLINARY_AUTHORITY')
  @ApiParam({ name: 'appealId', format: 'uuid' })
  @ApiOperation({ summary: 'Decide the pending appeal (not by whoever recorded the finding or imposed the sanction)' })
  @ApiOkResponse({ type: CaseChangedView })
  async decide(
    @StreamCommand('caseId') context: StreamCommandContext,
    @IdParam('appealId') appealId: string,
    @Body() body: DecideAppealDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new DecideAppealCommand(context, body, appealId)), response);
  }
}
