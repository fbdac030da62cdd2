import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { ApprovalChangedView, changedView } from '../approval-changed.view';
import { WithdrawApprovalCommand } from './withdraw-approval.handler';
import { WithdrawApprovalDto } from './withdraw-approval.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@ApiParam({ name: 'approvalId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('approvals/:approvalId')
export class WithdrawApprovalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('withdraw')
  @HttpCode(200)
  @Roles('OFFICER', 'MEDIA_TEAM')
  @ApiOperation({ summary: 'Withdraw your own request while it is pending' })
  @ApiOkResponse({ type: ApprovalChangedView })
  async run(
    @StreamCommand('approvalId') context: StreamCommandContext,
    @Body() body: WithdrawApprovalDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalChangedView> {
    return changedView(await this.commands.execute(new WithdrawApprovalCommand(context, body)), response);
  }
}
