import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from '@conduct/auth';
import { ProblemDocument } from '../problem/problem-details';

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
  const document = markPublicOperations(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDocument] }));
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
