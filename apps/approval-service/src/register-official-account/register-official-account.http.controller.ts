import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CorrelationId, IdempotencyKey } from '@conduct/http';
import { OfficialAccountCreated, RegisterOfficialAccountCommand } from './register-official-account.command';
import { RegisterOfficialAccountDto } from './register-official-account.dto';

@ApiTags('official-accounts')
@ApiBearerAuth()
@Controller('official-accounts')
export class RegisterOfficialAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('APPROVER', 'MEDIA_TEAM')
  @ApiOperation({
    summary: 'Register an official account run by the concerned DIG / SSP / Unit Head media team (SND-5)',
    description:
      'Appends OfficialAccountRegistered. The same platform and handle cannot be registered twice (409); a personal account ' +
      'is refused (422, SND-5); the owning unit must lie in your scope (403). With an Idempotency-Key, repeating the request ' +
      'returns the same answer and records nothing new.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Any unique string (e.g. a UUID) per intended request' })
  @ApiCreatedResponse({ type: OfficialAccountCreated, description: 'The account, active; Location and ETag headers are set' })
  async register(
    @Body() body: RegisterOfficialAccountDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OfficialAccountCreated> {
    const created = await this.commands.execute(new RegisterOfficialAccountCommand(body, principal, correlationId, idempotencyKey));
    response.setHeader('Location', `/official-accounts/${created.accountId}`);
    response.setHeader('ETag', `"${created.version}"`);
    return created;
  }
}
