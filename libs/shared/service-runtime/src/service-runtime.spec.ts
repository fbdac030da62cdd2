import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { CurrentPrincipal, mintToken, Principal, Public, Role, Roles } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { ConcurrencyError } from '@conduct/event-store';
import { ConfigValidationError } from '@conduct/config';
import { createServiceApp, ServiceApp } from './bootstrap';
import { ReadinessService } from '@conduct/observability';
import { currentCorrelationId } from '@conduct/http';
import { IdParam } from '@conduct/http';
import { freePort, metricValue } from '@conduct/testing';
import { ServiceRuntimeModule } from './service-runtime.module';

// A tiny service wired exactly as the real ones are (createServiceApp), without a database; its
// identity provider is a key pair of this test's own.
const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const issuerKeys = pem();
const signer = { privateKeyPem: issuerKeys.privateKeyPem, issuer: 'https://idp.test/realms/police' };
const env = {
  PORT: '3999',
  DATABASE_URL: 'postgres://unused/unused',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: issuerKeys.publicKeyPem,
  JWT_ISSUER: signer.issuer,
  LOG_LEVEL: 'info',
};

class AuthorDto {
  @IsString() unitId: string;
}

class CreateNoteDto {
  @IsString() @MaxLength(200_000) text: string;
  @IsInt() @Min(1) pages: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AuthorDto) author?: AuthorDto;
}

class ListNotesQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

let flakyDependencyUp = true;

@Controller('notes')
class NotesController {
  @Post()
  @Roles(Role.MEDIA_TEAM, Role.OFFICER)
  create(@Body() body: CreateNoteDto, @CurrentPrincipal() principal: Principal) {
    return { pages: body.pages, subject: principal.subject, correlationId: currentCorrelationId(), isDto: body instanceof CreateNoteDto };
  }

  @Get()
  list(@Query() query: ListNotesQuery) {
    return { limit: query.limit ?? null };
  }

  @Get('public')
  @Public()
  open() {
    return { open: true };
  }

  @Post(':id/approve')
  approve(@Param('id') id: string): never {
    throw new DomainError('conflict', 'note.not-pending', `Note ${id} is not pending`, 'SND-2', 'id');
  }

  @Post(':id/edit')
  edit(@Param('id') id: string): never {
    throw new ConcurrencyError(id, 3, 'stale');
  }

  @Get('boom')
  boom(): never {
    throw new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
  }

  // Last: a parameter route would otherwise take /notes/public and /notes/boom.
  @Get(':noteId')
  one(@IdParam('noteId') noteId: string) {
    return { noteId };
  }
}

describe('service runtime over HTTP', () => {
  let app: ServiceApp;
  let logLines: string[];
  const http = () => request(app.getHttpServer());
  const tokenFor = (roles: Role[], subject = 'officer-1') => `Bearer ${mintToken({ subject, roles, scope: { province: 'Punjab' } }, signer, '5m')}`;

  beforeAll(async () => {
    logLines = [];
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    @Module({
      imports: [
        ServiceRuntimeModule.forRoot({
          name: 'spec-service',
          env,
          logDestination,
          readiness: [{ name: 'flaky', check: () => (flakyDependencyUp ? Promise.resolve() : Promise.reject(new Error('flaky is down'))) }],
        }),
      ],
      controllers: [NotesController],
    })
    class SpecAppModule {}
    app = await createServiceApp(SpecAppModule, { name: 'spec-service', bodyLimit: '1kb' });
  });

  afterAll(async () => {
    await app.close();
  });

  const expectProblem = (response: request.Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
    return response.body as Record<string, unknown> & { errors?: { field: string; reason: string }[] };
  };

  describe('authentication and roles', () => {
    it('sends security headers on every answer, a refusal included', async () => {
      for (const response of [await http().get('/notes/public'), await http().post('/notes').send({})]) {
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'cross-origin-resource-policy': 'same-origin',
        });
        expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers).not.toHaveProperty('x-powered-by');
      }
    });

    it('answers 401 problem+json without a token', async () => {
      const response = await http().post('/notes').send({ text: 'hi', pages: 1 });
      const problem = expectProblem(response, 401);
      expect(problem).toMatchObject({ code: 'auth.token-missing', type: 'urn:conduct:problem:auth.token-missing', instance: '/notes' });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="conduct"');
    });

    it('answers 401 for a token signed with another key', async () => {
      const forged = mintToken({ subject: 'x', roles: ['MEDIA_TEAM'], scope: {} }, { ...signer, privateKeyPem: pem().privateKeyPem });
      const response = await http().post('/notes').set('Authorization', `Bearer ${forged}`).send({ text: 'hi', pages: 1 });
      expect(expectProblem(response, 401).code).toBe('auth.token-invalid');
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('answers 401 for an expired token', async () => {
      const expired = mintToken({ subject: 'x', roles: ['MEDIA_TEAM'], scope: {} }, { ...signer, now: Math.floor(Date.now() / 1000) - 600 }, 60);
      const response = await http().get('/notes').set('Authorization', `Bearer ${expired}`);
      expect(expectProblem(response, 401).code).toBe('auth.token-expired');
    });

    it('answers 403 problem+json when no role matches', async () => {
      const response = await http()
        .post('/notes')
        .set('Authorization', tokenFor(['HQ_ANALYST']))
        .send({ text: 'hi', pages: 1 });
      const problem = expectProblem(response, 403);
      expect(problem.code).toBe('auth.role-required');
      expect(problem.detail).toContain('MEDIA_TEAM');
    });

    it('runs the handler for a matching role, with the principal and the correlation id in scope', async () => {
      const response = await http()
        .post('/notes')
        .set('Authorization', tokenFor(['OFFICER'], 'officer-42'))
        .set('X-Correlation-Id', 'corr-123')
        .send({ text: 'hi', pages: 2 });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ pages: 2, subject: 'officer-42', correlationId: 'corr-123', isDto: true });
      expect(response.headers['x-correlation-id']).toBe('corr-123');
    });

    it('lets any authenticated caller through a route without @Roles, and anyone through @Public', async () => {
      expect(
        (
          await http()
            .get('/notes')
            .set('Authorization', tokenFor(['HQ_ANALYST']))
        ).status,
      ).toBe(200);
      expect((await http().get('/notes/public')).body).toEqual({ open: true });
    });
  });

  describe('validation', () => {
    const post = (body: string | object) =>
      http()
        .post('/notes')
        .set('Authorization', tokenFor(['MEDIA_TEAM']))
        .set('Content-Type', 'application/json')
        .send(body);

    it('refuses an unknown field, naming it', async () => {
      const problem = expectProblem(await post({ text: 'hi', pages: 1, sneaky: true }), 400);
      expect(problem.code).toBe('request.validation-failed');
      expect(problem.errors).toEqual([{ field: 'sneaky', reason: 'property sneaky should not exist' }]);
    });

    it('refuses a wrong type, naming the field (no silent conversion)', async () => {
      const problem = expectProblem(await post({ text: 'hi', pages: '2' }), 400);
      // Named once, with each rule it breaks.
      expect(problem.errors).toEqual([{ field: 'pages', reason: expect.stringContaining('pages must be an integer number') as string }]);
      expect(problem.detail).toBe('The request has invalid fields: pages');
    });

    it('names nested fields as dotted paths', async () => {
      const problem = expectProblem(await post({ text: 'hi', pages: 1, author: { unitId: 7, extra: 1 } }), 400);
      expect(problem.errors?.map((error) => error.field).sort()).toEqual(['author.extra', 'author.unitId']);
    });

    it('refuses a body that is not an object', async () => {
      const problem = expectProblem(await post('[1,2]'), 400);
      expect(problem.code).toBe('request.validation-failed');
    });

    it('refuses a body that is not JSON with 415, and accepts a command without a body', async () => {
      const text = await http()
        .post('/notes')
        .set('Authorization', tokenFor(['MEDIA_TEAM']))
        .set('Content-Type', 'text/plain')
        .send('hello');
      expect(expectProblem(text, 415).code).toBe('request.unsupported-media-type');
      expect(
        (
          await http()
            .post('/notes/n-1/approve')
            .set('Authorization', tokenFor(['OFFICER']))
        ).status,
      ).toBe(409);
    });

    it('refuses malformed JSON as a malformed body', async () => {
      const problem = expectProblem(await post('{"text": "hi",'), 400);
      expect(problem).toMatchObject({ code: 'request.malformed-body', instance: '/notes' });
      expect(problem.detail).toMatch(/^The request body is not valid JSON/);
    });

    it('refuses a body nested deeper than 32 levels, naming the top-level field, and takes one 32 deep', async () => {
      const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
      const problem = expectProblem(await post(`{"text": "hi", "pages": 1, "author": ${nested(40)}}`), 400);
      expect(problem).toMatchObject({ code: 'request.body-too-deep', errors: [{ field: 'author', reason: 'nested more than 32 levels deep' }] });
      // 31 levels under the body's own object: refused by the DTO (an author is an object), not by depth.
      expect(expectProblem(await post(`{"text": "hi", "pages": 1, "author": ${nested(31)}}`), 400).code).toBe('request.validation-failed');
    });

    it('refuses a NUL character anywhere in the body or the URL, naming where (PostgreSQL stores none)', async () => {
      const inBody = await http()
        .post('/notes')
        .set('Authorization', tokenFor([Role.OFFICER]))
        .send({ text: 'fine', pages: 1, author: { unitId: 'ps\u0000x' } });
      expect(expectProblem(inBody, 400)).toMatchObject({
        code: 'request.nul-character',
        errors: [{ field: 'author.unitId', reason: 'contains a NUL character (U+0000)' }],
      });
      const inKey = await http()
        .post('/notes')
        .set('Authorization', tokenFor([Role.OFFICER]))
        .send({ text: 'fine', pages: 1, author: { 'unit\u0000Id': 'x' } });
      expect(expectProblem(inKey, 400)).toMatchObject({ code: 'request.nul-character', errors: [{ field: 'author.unit\u0000Id' }] });
      const inQuery = await http()
        .get('/notes?limit=1%00')
        .set('Authorization', tokenFor([Role.OFFICER]));
      expect(expectProblem(inQuery, 400)).toMatchObject({ code: 'request.nul-character', errors: [{ field: 'url' }] });
    });

    it('refuses a path id that is not a UUID with 400 naming the parameter, and takes a UUID', async () => {
      const auth = tokenFor(['HQ_ANALYST']);
      const problem = expectProblem(await http().get('/notes/not-a-uuid').set('Authorization', auth), 400);
      expect(problem).toMatchObject({ code: 'request.invalid-id', errors: [{ field: 'noteId', reason: 'noteId must be a UUID' }] });
      const id = '5b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10';
      expect((await http().get(`/notes/${id}`).set('Authorization', auth)).body).toEqual({ noteId: id });
    });

    it('refuses a body over the limit with 413', async () => {
      const problem = expectProblem(await post({ text: 'x'.repeat(2048), pages: 1 }), 413);
      expect(problem).toMatchObject({ code: 'request.body-too-large', detail: 'The request body is larger than the limit of 1024 bytes' });
    });

    it('validates and converts query DTOs', async () => {
      const auth = tokenFor(['HQ_ANALYST']);
      expect((await http().get('/notes?limit=5').set('Authorization', auth)).body).toEqual({ limit: 5 });
      expect(expectProblem(await http().get('/notes?limit=many').set('Authorization', auth), 400).errors?.[0]?.field).toBe('limit');
      expect(expectProblem(await http().get('/notes?order=desc').set('Authorization', auth), 400).errors).toEqual([
        { field: 'order', reason: 'property order should not exist' },
      ]);
    });
  });

  describe('errors', () => {
    const auth = () => tokenFor(['OFFICER']);

    it('maps a DomainError to its status with code, clause and field', async () => {
      const problem = expectProblem(await http().post('/notes/n-1/approve').set('Authorization', auth()), 409);
      expect(problem).toMatchObject({
        type: 'urn:conduct:problem:note.not-pending',
        code: 'note.not-pending',
        clause: 'SND-2',
        detail: 'Note n-1 is not pending',
        errors: [{ field: 'id', reason: 'Note n-1 is not pending' }],
      });
    });

    it('maps the event store concurrency error to 409', async () => {
      const problem = expectProblem(await http().post('/notes/n-1/edit').set('Authorization', auth()), 409);
      expect(problem.code).toBe('stream.version-conflict');
    });

    it('answers an unexpected error with a generic 500 and logs it with its stack', async () => {
      const response = await http().get('/notes/boom').set('Authorization', auth()).set('X-Correlation-Id', 'boom-1');
      const problem = expectProblem(response, 500);
      expect(problem).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', correlationId: 'boom-1' });
      expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3/);
      const logged = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['msg'] === 'Request failed unexpectedly');
      expect(logged).toMatchObject({ level: 'error', correlationId: 'boom-1', err: { message: expect.stringContaining('ECONNREFUSED') } });
      expect((logged!['err'] as { stack: string }).stack).toContain('NotesController.boom');
    });

    it('logs each request once, on completion, as one short line without its headers (no token)', async () => {
      const token = auth();
      await http().get('/nowhere').set('Authorization', token).set('X-Correlation-Id', 'access-1').set('User-Agent', 'spec-agent');
      const lines = logLines.filter((line) => line.includes('access-1')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          level: 'warn',
          correlationId: 'access-1',
          req: { method: 'GET', url: '/nowhere', remoteAddress: expect.any(String), userAgent: 'spec-agent' },
          res: { statusCode: 404 },
          responseTime: expect.any(Number),
        }),
      ]);
      expect(lines[0]!['req']).not.toHaveProperty('headers');
      expect(JSON.stringify(lines)).not.toContain(token.slice('Bearer '.length));
    });

    it('answers an unknown route with a 404 problem', async () => {
      const problem = expectProblem(await http().get('/nowhere').set('Authorization', auth()), 404);
      expect(problem.instance).toBe('/nowhere');
    });

    it('never writes the bearer token into the logs', () => {
      expect(logLines.join('\n')).not.toContain('eyJ');
    });
  });

  describe('correlation ids', () => {
    it('generates one when the caller sends none, and replaces one that is unsafe to log', async () => {
      const generated = await http().get('/notes/public');
      expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unsafe = await http().get('/notes/public').set('X-Correlation-Id', 'a b\tc');
      expect(unsafe.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('tags every problem with it', async () => {
      const response = await http().get('/notes').set('X-Correlation-Id', 'trace-me');
      expect(expectProblem(response, 401).correlationId).toBe('trace-me');
    });
  });

  describe('operations endpoints', () => {
    it('/health/live answers without a token', async () => {
      const response = await http().get('/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'live' });
    });

    it('/health/ready answers 200 when every check passes and 503 problem+json when one fails', async () => {
      flakyDependencyUp = true;
      app.get(ReadinessService).register({ name: 'registered-later', check: () => Promise.resolve() });
      const ready = await http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', checks: { flaky: 'up', 'registered-later': 'up' } });

      flakyDependencyUp = false;
      const notReady = await http().get('/health/ready');
      expect(expectProblem(notReady, 503)).toMatchObject({
        code: 'service.not-ready',
        checks: { flaky: 'down', 'registered-later': 'up' },
        detail: 'Not ready: flaky unavailable',
      });
      expect(JSON.stringify(notReady.body)).not.toContain('flaky is down');
      flakyDependencyUp = true;
    });

    it('measures each readiness answer and counts the changes, so that a flapping service can be seen', async () => {
      const changes = async () => (await metricValue('conduct_readiness_changes_total', {})) ?? 0;
      flakyDependencyUp = true;
      await http().get('/health/ready').expect(200);
      const before = await changes();
      expect(await metricValue('conduct_ready', {})).toBe(1);

      flakyDependencyUp = false;
      await http().get('/health/ready').expect(503);
      await http().get('/health/ready').expect(503);
      expect(await metricValue('conduct_ready', {})).toBe(0);
      flakyDependencyUp = true;
      await http().get('/health/ready').expect(200);
      expect(await metricValue('conduct_ready', {})).toBe(1);
      // Down once and up once: two changes, however many probes came between.
      expect((await changes()) - before).toBe(2);
    });

    it('/metrics answers without a token, with default metrics and the HTTP histogram by route pattern', async () => {
      await http()
        .post('/notes/n-77/approve')
        .set('Authorization', tokenFor(['OFFICER']));
      const response = await http().get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toContain('process_cpu_user_seconds_total');
      expect(response.text).toMatch(/conduct_http_request_duration_seconds_count\{method="POST",route="\/notes\/:id\/approve",status="409"\} [1-9]/);
      expect(response.text).toMatch(/conduct_http_request_duration_seconds_count\{method="POST",route="\(unmatched\)",status="400"\} [1-9]/);
      expect(response.text).not.toContain('n-77');
    });

    it('/docs-json answers without a token, lists the routes and declares bearer auth', async () => {
      const response = await http().get('/docs-json');
      expect(response.status).toBe(200);
      const document = response.body as {
        info: { title: string };
        paths: Record<string, Record<string, { security?: unknown[] }>>;
        security: unknown[];
        components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      };
      expect(document.info.title).toBe('spec-service');
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/notes', '/notes/{id}/approve', '/health/ready']));
      expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(document.security).toEqual([{ bearer: [] }]);
      expect(document.paths['/health/live']!['get']!.security).toEqual([]);
      expect(document.paths['/notes/public']!['get']!.security).toEqual([]);
      expect(document.paths['/notes']!['post']!.security).toBeUndefined();
      expect(JSON.stringify(document)).not.toContain('x-conduct-public');
      expect(document.components.schemas['ProblemDocument']).toBeDefined();
      // Each operation declares the problem answers it can give, as problem+json.
      const answers = (path: string, method: string) => Object.keys((document.paths[path]![method] as { responses: object }).responses).sort();
      expect(answers('/notes', 'post')).toEqual(['201', '400', '401', '403', '409', '422', '429']);
      expect(answers('/notes/{noteId}', 'get')).toEqual(['200', '400', '401', '403', '404', '429']);
      expect(answers('/notes/public', 'get')).toEqual(['200']);
      expect(JSON.stringify(document.paths['/notes']!['post'])).toContain(
        '"application/problem+json":{"schema":{"$ref":"#/components/schemas/ProblemDocument"}}',
      );
      const ui = await http().get('/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger-ui');
      // The page works under the same-origin CSP helmet sets: it loads its scripts, none inline.
      expect(ui.headers['content-security-policy']).toContain("script-src 'self'");
      expect(ui.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    });
  });
});

describe('metrics on a port of their own (METRICS_PORT)', () => {
  it('serves /metrics there without a token, and not on the API port', async () => {
    const metricsPort = await freePort();
    @Module({ imports: [ServiceRuntimeModule.forRoot({ name: 'metrics-service', env: { ...env, METRICS_PORT: String(metricsPort) } })] })
    class MetricsAppModule {}
    const app = await createServiceApp(MetricsAppModule, { name: 'metrics-service' });
    try {
      expect((await request(app.getHttpServer()).get('/metrics')).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/health/live`)).status).toBe(404); // nothing else answers there
    } finally {
      await app.close();
    }
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow(); // closed with the app
  });
});

describe('rate limit per caller (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS)', () => {
  let app: ServiceApp;
  const tokenOf = (subject: string) => `Bearer ${mintToken({ subject, roles: [Role.OFFICER], scope: { province: 'Punjab' } }, signer, '5m')}`;

  beforeAll(async () => {
    @Module({
      imports: [
        ServiceRuntimeModule.forRoot({ name: 'limited-service', env: { ...env, RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } }),
      ],
      controllers: [NotesController],
    })
    class LimitedAppModule {}
    app = await createServiceApp(LimitedAppModule, { name: 'limited-service' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts one caller over every route, answers 429 problem+json with Retry-After beyond it, and leaves other callers and public routes alone', async () => {
    const http = request(app.getHttpServer());
    const first = await http.get('/notes').set('Authorization', tokenOf('integration-a'));
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect((await http.post('/notes').set('Authorization', tokenOf('integration-a')).send({ text: 'x', pages: 1 })).status).toBe(201);
    expect((await http.get(`/notes/${'3f0b4d7e-8a4c-4c1e-9b1a-2d5e6f708192'}`).set('Authorization', tokenOf('integration-a'))).status).toBe(200);

    const refused = await http.get('/notes').set('Authorization', tokenOf('integration-a'));
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.body).toMatchObject({ status: 429, code: 'rate-limit.exceeded', detail: expect.stringContaining('at most 3 per 60 s') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // A second token of the same person counts against the same budget; another person has their own.
    expect((await http.get('/notes').set('Authorization', tokenOf('integration-a'))).status).toBe(429);
    expect((await http.get('/notes').set('Authorization', tokenOf('integration-b'))).status).toBe(200);
    for (let probe = 0; probe < 5; probe += 1) expect((await http.get('/health/live')).status).toBe(200);
  });

  it('checks the token first: a caller without one gets 401, not a count against anyone', async () => {
    const http = request(app.getHttpServer());
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await http.get('/notes')).status).toBe(401);
    expect((await http.get('/notes').set('Authorization', tokenOf('integration-c'))).status).toBe(200);
  });
});

describe('startup with an invalid environment', () => {
  it('fails with every bad variable named', async () => {
    @Module({ imports: [ServiceRuntimeModule.forRoot({ name: 'bad-service', env: { ...env, PORT: '0', KAFKA_BROKERS: undefined } })] })
    class BadAppModule {}
    const startup = createServiceApp(BadAppModule, { name: 'bad-service' });
    await expect(startup).rejects.toThrow(ConfigValidationError);
    await expect(startup).rejects.toThrow('Invalid configuration: PORT must be an integer between 1 and 65535; KAFKA_BROKERS is required');
  });

  it('refuses production without an identity provider, or with the shared secret of old', async () => {
    const start = (production: Record<string, string | undefined>) => {
      @Module({ imports: [ServiceRuntimeModule.forRoot({ name: 'prod-service', env: { ...env, NODE_ENV: 'production', ...production } })] })
      class ProductionModule {}
      return createServiceApp(ProductionModule, { name: 'prod-service' });
    };
    const keystore = { KEYSTORE_URL: 'postgres://unused/unused', PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64') };
    await expect(start({ ...keystore, JWT_PUBLIC_KEY: undefined, JWT_ISSUER: undefined })).rejects.toThrow(
      'Invalid configuration: NODE_ENV=production needs JWT_JWKS_URL or JWT_PUBLIC_KEY: the identity provider that signs tokens; JWT_ISSUER must name the identity provider in production, not the local development issuer "conduct-local"',
    );
    await expect(start({ ...keystore, JWT_SECRET: 'conduct-local-dev-secret' })).rejects.toThrow(
      /^Invalid configuration: JWT_SECRET is a shared secret/,
    );
    await expect(start({})).rejects.toThrow(/^Invalid configuration: NODE_ENV=production needs KEYSTORE_URL/);
    const app = await start(keystore);
    await app.close();
  });
});
