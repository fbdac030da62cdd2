import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

interface CorrelationContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/**
 * The correlation id of the request (or consumed message) being handled, for event metadata and
 * outgoing calls; undefined outside one.
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `work` with a correlation id in scope, e.g. a Kafka consumer handling one message. */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

// What a caller may send: short and free of anything that could forge a log line or a header.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's `x-correlation-id` (or makes one), stores it as `req.id` (pino-http logs it),
 * echoes it in the response and keeps it in scope for the rest of the request.
 */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const offered = req.headers[CORRELATION_HEADER];
  const correlationId = typeof offered === 'string' && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
  req.id = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithCorrelationId(correlationId, next);
}

/** The id correlationMiddleware gave the request. */
export function correlationIdOf(req: IncomingMessage): string | undefined {
  return typeof req.id === 'string' ? req.id : undefined;
}
