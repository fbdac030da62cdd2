import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { ApprovalChangedView, changedView } from '../approval-changed.view';
import { RecordPublicationCommand } from './record-publication.handler';
import { RecordPublicationDto } from './record-publication.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@ApiParam({ name: 'approvalId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('approvals/:approvalId')
export class RecordPublicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post('publications')
  @HttpCode(201)
  @Roles('MEDIA_TEAM', 'APPROVER')
  @ApiOperation({
    summary: 'Record that approved content went out; a publication breaking SND-1/SND-5 is refused (422, clause named) and the attempt recorded',
  })
  @ApiCreatedResponse({ type: ApprovalChangedView })
  async run(
    @StreamCommand('approvalId') context: StreamCommandContext,
    @Body() body: RecordPublicationDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalChangedView> {
    return changedView(await this.commands.execute(new RecordPublicationCommand(context, body)), response);
  }
}
