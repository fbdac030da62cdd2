import { IncomingMessage, ServerResponse } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { correlationIdOf } from '../correlation';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { toProblem } from './to-problem';

interface ExpressRequest extends IncomingMessage {
  originalUrl?: string;
}

/** Every error of every HTTP request leaves as application/problem+json (RFC 9457). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@InjectPinoLogger(ProblemDetailsFilter.name) private readonly logger: PinoLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const req = host.switchToHttp().getRequest<ExpressRequest>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const instance = (req.originalUrl ?? req.url ?? '/').split('?')[0] ?? '/';
    const { problem, unexpected } = toProblem(error, { instance, correlationId: correlationIdOf(req) });

    if (unexpected) this.logger.error({ err: error, instance, method: req.method }, 'Request failed unexpectedly');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = problem.status;
    res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.end(JSON.stringify(problem));
  }
}
