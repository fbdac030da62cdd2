import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, isNationalScope, Principal, Roles } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { InProcessRebuilds, RebuildStatus } from './in-process-rebuilds';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/read-models')
@Roles('ADMIN')
export class ReadModelsAdminController {
  constructor(private readonly rebuilds: InProcessRebuilds) {}

  @Get()
  @ApiOperation({ summary: 'The read-model generations, and the progress of a rebuild running in this process' })
  @ApiOkResponse({ description: 'Generations (building / active / retired), the running rebuild and the last one' })
  status(@CurrentPrincipal() principal: Principal): Promise<RebuildStatus> {
    requireNational(principal);
    return this.rebuilds.status();
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuilds every read model into a new generation from the beginning of the topics, then switches over' })
  @ApiAcceptedResponse({ description: 'The new generation is being built; follow it with GET /admin/read-models' })
  @ApiConflictResponse({ description: 'A rebuild is already running' })
  rebuild(@CurrentPrincipal() principal: Principal): Promise<{ generation: number; startedAt: string }> {
    requireNational(principal);
    return this.rebuilds.start();
  }
}

/** Read models hold every province's figures: only a national ADMIN administers them. */
function requireNational(principal: Principal): void {
  if (!isNationalScope(principal.scope)) {
    throw new DomainError(
      'forbidden',
      'admin.national-scope-required',
      'Read models hold the whole country: only a national ADMIN (a token without jurisdiction) administers them',
    );
  }
}
