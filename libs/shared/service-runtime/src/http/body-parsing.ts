import { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException, HttpException, HttpStatus, INestApplication, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

export const DEFAULT_BODY_LIMIT = '256kb';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** JSON bodies only (plus `application/*+json`, e.g. merge-patch), up to `limit`. */
export function useJsonBodyParser(app: INestApplication, limit: string = DEFAULT_BODY_LIMIT): void {
  app.use(refuseNonJsonBodies);
  (app as NestExpressApplication).useBodyParser('json', { limit, type: ['application/json', 'application/*+json'] });
  app.use(bodyParserErrors);
  app.use(refuseDeepBodies);
  app.use(refuseNulCharacters);
}

/**
 * PostgreSQL stores no NUL character in text or jsonb: one in a body, a path or a query would fail
 * deep in a transaction (a 500). Refused at the door, naming the field (found by the API fuzzer).
 */
function refuseNulCharacters(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (error?: unknown) => void): void {
  const url = req.url ?? '';
  const inUrl = url.includes('\u0000') || /%00/i.test(url);
  const field = inUrl ? 'url' : fieldWithNulCharacter(req.body);
  if (field === undefined) return next();
  next(
    new BadRequestException({
      message: `The request carries a NUL character (U+0000) in ${field}, which no field accepts`,
      code: 'request.nul-character',
      errors: [{ field, reason: 'contains a NUL character (U+0000)' }],
    }),
  );
}

/** The dotted path of the first string or key holding U+0000 (`items.2.name`, `body` for the whole); undefined if none. */
export function fieldWithNulCharacter(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string' && current.includes('\u0000')) return path || 'body';
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return childPath;
      stack.push({ value: child, path: childPath });
    }
  }
  return undefined;
}

/** Deeper than any command needs (they nest four or five levels); the validators recurse per level. */
export const MAX_JSON_DEPTH = 32;

/**
 * A body nested thousands of levels deep parses fine but overflows the stack of the recursive
 * transformers and validators behind it (a 500). Measured without recursion, refused with the
 * top-level field it hides under.
 */
function refuseDeepBodies(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (error?: unknown) => void): void {
  const field = fieldNestedTooDeep(req.body, MAX_JSON_DEPTH);
  if (field === undefined) return next();
  next(
    new BadRequestException({
      message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
      code: 'request.body-too-deep',
      errors: [{ field, reason: `nested more than ${MAX_JSON_DEPTH} levels deep` }],
    }),
  );
}

/** The top-level field (or "body") under which `value` nests deeper than `max`; undefined if none does. */
export function fieldNestedTooDeep(value: unknown, max: number): string | undefined {
  const stack: { value: unknown; depth: number; field: string }[] = [{ value, depth: 0, field: 'body' }];
  while (stack.length > 0) {
    const { value: current, depth, field } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return field;
    for (const [key, child] of Object.entries(current)) stack.push({ value: child, depth: depth + 1, field: depth === 0 && !Array.isArray(current) ? key : field });
  }
  return undefined;
}

/** A body in another format would reach the DTO as "no body"; say what is wrong instead. */
function refuseNonJsonBodies(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  const { 'content-length': length, 'transfer-encoding': encoding, 'content-type': type } = req.headers;
  const hasBody = encoding !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !JSON_MEDIA_TYPE.test(type ?? '')) {
    next(new UnsupportedMediaTypeException({ message: `Request bodies must be application/json, not ${type ?? 'untyped'}`, code: 'request.unsupported-media-type' }));
    return;
  }
  next();
}

interface BodyParserError {
  type?: unknown;
  limit?: unknown;
  message?: unknown;
  charset?: unknown;
}

/**
 * body-parser fails before any route runs; turn its errors into exceptions that say what was
 * wrong with the body, so the problem filter answers them like every other error.
 * (An Express error middleware: four parameters.)
 */
function bodyParserErrors(error: unknown, _req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  next(translate(error));
}

function translate(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { type, limit, message } = error as BodyParserError;
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestException({ message: `The request body is not valid JSON: ${String(message)}`, code: 'request.malformed-body' });
    case 'entity.too.large':
      return new PayloadTooLargeException({ message: `The request body is larger than the limit of ${String(limit)} bytes`, code: 'request.body-too-large' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException({ message: String(message), code: 'request.unsupported-encoding' });
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpException({ message: String(message), code: 'request.body-incomplete' }, HttpStatus.BAD_REQUEST);
    default:
      return error;
  }
}
