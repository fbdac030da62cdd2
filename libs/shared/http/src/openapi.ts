import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from '@conduct/auth';
import { ProblemDocument } from './problem/problem-details';

export interface OpenApiOptions {
  title: string;
  version?: string;
  description?: string;
}

export const BEARER_SCHEME = 'bearer';

/**
 * Swagger UI at /docs and the document at /docs-json. Every operation needs the bearer token
 * unless @Public() clears it. Served outside Nest's router, so the auth guard never sees them.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setVersion(options.version ?? '1')
    .setDescription(options.description ?? 'Errors are RFC 9457 problem+json (schema ProblemDocument).')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = declareProblemResponses(markPublicOperations(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDocument] })));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** @Public() operations need no token: an empty security requirement overrides the global one. */
function markPublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Record<string, unknown>[]) {
      if (typeof operation !== 'object' || operation === null || !(PUBLIC_OPERATION_EXTENSION in operation)) continue;
      delete operation[PUBLIC_OPERATION_EXTENSION];
      operation['security'] = [];
    }
  }
  return document;
}

interface Operation {
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: `#/components/schemas/${ProblemDocument.name}` } } };
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * The problem answers each operation can give, as problem+json, where the operation's own
 * decorators did not declare them: worked out from what it takes (a body or parameters may be
 * invalid, an id may name nothing in your scope), whether it needs a token (401, 403, 429) and
 * whether it is a command (a conflict, a stale If-Match, a refusal by the rules).
 */
function declareProblemResponses(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, value] of Object.entries(pathItem)) {
      if (!METHODS.has(method)) continue;
      const operation = value as Operation;
      const parameters = operation.parameters ?? [];
      const guarded = !(Array.isArray(operation.security) && operation.security.length === 0);
      const command = method !== 'get';
      const answers: [number, string][] = [];
      if (operation.requestBody || parameters.some((parameter) => parameter.in !== 'header') || command)
        answers.push([400, 'The request is malformed or a field is invalid: `errors[]` names each field']);
      if (guarded) {
        answers.push([401, 'No bearer token, or one that is invalid or expired']);
        answers.push([403, 'Your role may not do this (outside your scope a record answers 404 instead)']);
      }
      if (parameters.some((parameter) => parameter.in === 'path')) answers.push([404, 'Nothing with that id in your scope']);
      if (command) {
        answers.push([409, 'The record is not in a state that allows this']);
        if (parameters.some((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'if-match'))
          answers.push([412, 'If-Match names a version that is no longer current']);
        answers.push([422, 'Refused by the rules (`code`, and the policy `clause` where one applies)']);
      }
      if (guarded) answers.push([429, 'Too many requests from you: see Retry-After']);
      operation.responses ??= {};
      for (const [status, description] of answers) operation.responses[String(status)] ??= { description, content: PROBLEM };
    }
  }
  return document;
}
