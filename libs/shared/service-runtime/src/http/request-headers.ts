import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
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
export const IfMatchVersion = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const value = context.switchToHttp().getRequest<IncomingMessage>().headers['if-match'];
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
});
