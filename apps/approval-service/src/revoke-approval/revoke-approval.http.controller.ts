import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { ApprovalChangedView, changedView } from '../approval-changed.view';
import { RevokeApprovalCommand } from './revoke-approval.handler';
import { RevokeApprovalDto } from './revoke-approval.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@ApiParam({ name: 'approvalId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('approvals/:approvalId')
export class RevokeApprovalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('revoke')
  @HttpCode(200)
  @Roles('APPROVER')
  @ApiOperation({ summary: 'Revoke a granted approval, with a reason' })
  @ApiOkResponse({ type: ApprovalChangedView })
  async run(
    @StreamCommand('approvalId') context: StreamCommandContext,
    @Body() body: RevokeApprovalDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalChangedView> {
    return changedView(await this.commands.execute(new RevokeApprovalCommand(context, body)), response);
  }
}
