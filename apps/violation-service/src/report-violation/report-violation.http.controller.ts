import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CorrelationId, IdempotencyKey } from '@conduct/http';
import { CaseReported, ReportViolationCommand } from './report-violation.command';
import { ReportViolationDto } from './report-violation.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class ReportViolationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR', 'APPROVER')
  @ApiOperation({
    summary: 'Report a violation: opens a case judged under the pack in force at observedAt',
    description:
      'Appends ViolationReported. A clause that does not apply to the conduct answers 422 naming it. With an Idempotency-Key, a repeat returns the same case and records nothing new.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Any unique string (e.g. a UUID) per intended report' })
  @ApiCreatedResponse({ description: 'The case, open and under investigation' })
  async report(
    @Body() body: ReportViolationDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseReported> {
    const reported = await this.commands.execute(new ReportViolationCommand(body, principal, correlationId, idempotencyKey));
    response.setHeader('Location', `/cases/${reported.caseId}`);
    response.setHeader('ETag', `"${reported.version}"`);
    return reported;
  }
}
