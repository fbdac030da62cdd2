import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { ApprovalChangedView, changedView } from '../approval-changed.view';
import { GrantApprovalCommand, RejectApprovalCommand } from './decide-approval.command';
import { GrantApprovalDto, RejectApprovalDto } from './decide-approval.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@ApiParam({ name: 'approvalId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('approvals/:approvalId')
export class DecideApprovalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('grant')
  @HttpCode(200)
  @Roles('APPROVER')
  @ApiOperation({ summary: 'Grant a pending request (approving authority in scope; never the requester)' })
  @ApiOkResponse({ type: ApprovalChangedView })
  async grant(
    @StreamCommand('approvalId') context: StreamCommandContext,
    @Body() body: GrantApprovalDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalChangedView> {
    return changedView(await this.commands.execute(new GrantApprovalCommand(context, body)), response);
  }

  @Post('reject')
  @HttpCode(200)
  @Roles('APPROVER')
  @ApiOperation({ summary: 'Reject a pending request with reasons' })
  @ApiOkResponse({ type: ApprovalChangedView })
  async reject(
    @StreamCommand('approvalId') context: StreamCommandContext,
    @Body() body: RejectApprovalDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalChangedView> {
    return changedView(await this.commands.execute(new RejectApprovalCommand(context, body)), response);
  }
}
