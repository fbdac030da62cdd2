import { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  INestApplication,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

export const DEFAULT_BODY_LIMIT = '256kb';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** JSON bodies only (plus `application/*+json`, e.g. merge-patch), up to `limit`. */
export function useJsonBodyParser(app: INestApplication, limit: string = DEFAULT_BODY_LIMIT): void {
  app.use(refuseNonJsonBodies);
  (app as NestExpressApplication).useBodyParser('json', { limit, type: ['application/json', 'application/*+json'] });
  app.use(bodyParserErrors);
  app.use(refuseUnstorableBodies);
}

/** Deeper than any command needs (they nest four or five levels); the validators recurse per level. */
export const MAX_JSON_DEPTH = 32;

type BodyProblem = { kind: 'too-deep' | 'nul-character'; field: string };

/**
 * Two kinds of parsed body would fail far behind the door as a 500, so they are refused here,
 * naming the field:
 * - nested thousands of levels deep, it overflows the stack of the recursive transformers and
 *   validators (refused with the top-level field it hides under);
 * - a NUL character (U+0000) in a string, a key, the path or the query: PostgreSQL stores none in
 *   text or jsonb, so it failed deep in a transaction (found by the API fuzzer).
 */
function refuseUnstorableBodies(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (error?: unknown) => void): void {
  const url = req.url ?? '';
  const problem: BodyProblem | undefined =
    url.includes('\u0000') || /%00/i.test(url) ? { kind: 'nul-character', field: 'url' } : bodyProblem(req.body, MAX_JSON_DEPTH);
  if (problem === undefined) return next();
  const { field } = problem;
  next(
    problem.kind === 'too-deep'
      ? new BadRequestException({
          message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
          code: 'request.body-too-deep',
          errors: [{ field, reason: `nested more than ${MAX_JSON_DEPTH} levels deep` }],
        })
      : new BadRequestException({
          message: `The request carries a NUL character (U+0000) in ${field}, which no field accepts`,
          code: 'request.nul-character',
          errors: [{ field, reason: 'contains a NUL character (U+0000)' }],
        }),
  );
}

/**
 * The first problem in a parsed body, in one walk without recursion: nesting deeper than `maxDepth`
 * (named by its top-level field, or "body"), or U+0000 in a string or key (named by its dotted path,
 * `items.2.name`).
 */
export function bodyProblem(value: unknown, maxDepth: number): BodyProblem | undefined {
  const stack: { value: unknown; depth: number; path: string; topField: string }[] = [{ value, depth: 0, path: '', topField: 'body' }];
  while (stack.length > 0) {
    const { value: current, depth, path, topField } = stack.pop()!;
    if (typeof current === 'string' && current.includes('\u0000')) return { kind: 'nul-character', field: path || 'body' };
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return { kind: 'too-deep', field: topField };
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { kind: 'nul-character', field: childPath };
      stack.push({ value: child, depth: depth + 1, path: childPath, topField: depth === 0 && !Array.isArray(current) ? key : topField });
    }
  }
  return undefined;
}

/** A body in another format would reach the DTO as "no body"; say what is wrong instead. */
function refuseNonJsonBodies(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  const { 'content-length': length, 'transfer-encoding': encoding, 'content-type': type } = req.headers;
  const hasBody = encoding !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !JSON_MEDIA_TYPE.test(type ?? '')) {
    next(
      new UnsupportedMediaTypeException({
        message: `Request bodies must be application/json, not ${type ?? 'untyped'}`,
        code: 'request.unsupported-media-type',
      }),
    );
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
      return new PayloadTooLargeException({
        message: `The request body is larger than the limit of ${String(limit)} bytes`,
        code: 'request.body-too-large',
      });
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
