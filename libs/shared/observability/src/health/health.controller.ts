import { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@conduct/auth';
import { correlationIdOf } from '@conduct/http';
import { ProblemDocument, PROBLEM_CONTENT_TYPE, problemType } from '@conduct/http';
import { ReadinessService } from './readiness.service';

/** Probes: live = the process answers; ready = it can take commands (database up, not draining). */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'The service takes commands; `checks` also shows Kafka and its consumers, which do not decide the status' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer, or the process is shutting down', type: ProblemDocument })
  async ready(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const { ready, checks, draining } = await this.readiness.check();
    if (ready) {
      send(res, 200, 'application/json', { status: 'ready', checks });
      return;
    }
    const down = Object.keys(checks).filter((name) => checks[name] === 'down');
    send(res, 503, PROBLEM_CONTENT_TYPE, {
      type: problemType('service.not-ready'),
      title: 'Service Unavailable',
      status: 503,
      detail: draining ? 'Not ready: shutting down' : `Not ready: ${down.join(', ')} unavailable`,
      instance: '/health/ready',
      code: 'service.not-ready',
      correlationId: correlationIdOf(req),
      checks,
    });
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: object): void {
  res.statusCode = status;
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
