import { BadRequestException, createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { AuthenticatedRequest, Principal } from '@conduct/auth';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { correlationIdOf } from './correlation';

/** The request's correlation id (set by correlationMiddleware), for event metadata. */
export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => correlationIdOf(context.switchToHttp().getRequest<IncomingMessage>()) ?? randomUUID(),
);

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The optional `Idempotency-Key` header of a create command: 1–255 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<IncomingMessage>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new BadRequestException({
      message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
      code: 'request.bad-idempotency-key',
      errors: [{ field: 'Idempotency-Key', reason: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return value;
});

/**
 * The stream version named by `If-Match` ("3" or W/"3"), or undefined without the header.
 * A transition sent with a stale version answers 412 (see executeCommand).
 */
function parseIfMatch(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim()) : null;
  if (!match?.[1]) {
    throw new BadRequestException({
      message: 'If-Match must be the ETag of the resource, e.g. "3"',
      code: 'request.bad-if-match',
      errors: [{ field: 'If-Match', reason: 'must be a stream version such as "3"' }],
    });
  }
  return Number(match[1]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything a command on an existing stream takes from the request besides its body. */
export interface StreamCommandContext {
  streamId: string;
  principal: Principal;
  correlationId: string;
  ifMatchVersion?: number;
}

/**
 * A command on an existing stream as the HTTP layer hands it to its handler: the request context
 * and the validated body, typed with what its handler answers (`commands.execute(command)` infers
 * it). Services subclass it per use case (`class GrantApprovalCommand extends StreamTransition<...>`).
 */
export abstract class StreamTransition<Body, Result> extends Command<Result> {
  readonly streamId: string;
  readonly principal: Principal;
  readonly correlationId: string;
  readonly ifMatchVersion?: number;

  constructor(
    context: StreamCommandContext,
    readonly body: Body,
  ) {
    super();
    this.streamId = context.streamId;
    this.principal = context.principal;
    this.correlationId = context.correlationId;
    if (context.ifMatchVersion !== undefined) this.ifMatchVersion = context.ifMatchVersion;
  }
}

/** How a stream id in a route parameter must look, and what a 400 says when it does not. */
export interface StreamIdFormat {
  parameter: string;
  pattern: RegExp;
  /** e.g. `must be a UUID`. */
  reason: string;
  /** Ids that differ only in case name the same stream (UUIDs). */
  caseInsensitive?: boolean;
}

function streamCommandContext(format: StreamIdFormat, context: ExecutionContext): StreamCommandContext {
  const request = context.switchToHttp().getRequest<IncomingMessage & AuthenticatedRequest & { params: Record<string, string> }>();
  const streamId = request.params[format.parameter] ?? '';
  if (!format.pattern.test(streamId)) {
    throw new BadRequestException({
      message: `${format.parameter} ${format.reason}`,
      code: 'request.bad-id',
      errors: [{ field: format.parameter, reason: format.reason }],
    });
  }
  if (!request.principal) throw new UnauthorizedException({ message: 'This route needs a bearer token', code: 'auth.token-missing' });
  const ifMatchVersion = parseIfMatch(request.headers['if-match']);
  return {
    streamId: format.caseInsensitive ? streamId.toLowerCase() : streamId,
    principal: request.principal,
    correlationId: correlationIdOf(request) ?? randomUUID(),
    ...(ifMatchVersion !== undefined ? { ifMatchVersion } : {}),
  };
}

/**
 * `@StreamCommand('caseId')`: the stream id from that route parameter (a UUID, else 400), the
 * caller, the correlation id and the If-Match version, in one parameter.
 */
export const StreamCommand = createParamDecorator((parameter: string, context: ExecutionContext): StreamCommandContext =>
  streamCommandContext({ parameter, pattern: UUID, reason: 'must be a UUID', caseInsensitive: true }, context),
);

/** `@KeyedStreamCommand(format)`: StreamCommand for a stream whose id is not a UUID (an officer's, by service number). */
export const KeyedStreamCommand = createParamDecorator((format: StreamIdFormat, context: ExecutionContext): StreamCommandContext =>
  streamCommandContext(format, context),
);

/** The stream version named by `If-Match`, for a command on a stream whose id is not a UUID (400 if malformed). */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined =>
  parseIfMatch(context.switchToHttp().getRequest<IncomingMessage>().headers['if-match']),
);
