import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CorrelationId, IdempotencyKey } from '@conduct/http';
import { ApprovalCreated, RequestApprovalCommand } from './request-approval.command';
import { RequestApprovalDto } from './request-approval.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class RequestApprovalController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('OFFICER', 'MEDIA_TEAM')
  @ApiOperation({
    summary: 'Ask for pre-approval of media showing uniform, vehicles, equipment or offices (SND-1, SND-2)',
    description: 'Appends ApprovalRequested. With an Idempotency-Key, repeating the request returns the same approval and records nothing new.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Any unique string (e.g. a UUID) per intended request' })
  @ApiCreatedResponse({ description: 'The approval request, pending a decision' })
  async request(
    @Body() body: RequestApprovalDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ApprovalCreated> {
    const created = await this.commands.execute(new RequestApprovalCommand(body, principal, correlationId, idempotencyKey));
    response.setHeader('Location', `/approvals/${created.approvalId}`);
    response.setHeader('ETag', `"${created.version}"`);
    return created;
  }
}
