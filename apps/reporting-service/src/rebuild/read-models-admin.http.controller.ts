import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
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
  status(): Promise<RebuildStatus> {
    return this.rebuilds.status();
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuilds every read model into a new generation from the beginning of the topics, then switches over' })
  @ApiAcceptedResponse({ description: 'The new generation is being built; follow it with GET /admin/read-models' })
  @ApiConflictResponse({ description: 'A rebuild is already running' })
  rebuild(): Promise<{ generation: number; startedAt: string }> {
    return this.rebuilds.start();
  }
}
