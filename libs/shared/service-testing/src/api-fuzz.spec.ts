import { generateKeyPairSync } from 'node:crypto';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { mintToken, Role, Roles } from '@conduct/auth';
import { createServiceApp, ServiceApp, ServiceRuntimeModule } from '@conduct/service-runtime';
import { DEFAULT_FUZZ_SEED, fuzzOperation, fuzzSeed, mutate } from './api-fuzz';
import { every, MatrixRow, okFor } from './authorization-matrix';
import { TestService } from './service-app';

// The fuzzer pointed at a tiny service wired as the real ones, with bugs planted on purpose.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), issuer: 'https://idp.test/fuzz' };
const env = {
  PORT: '3999',
  DATABASE_URL: 'postgres://unused/unused',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  JWT_ISSUER: signer.issuer,
  LOG_LEVEL: 'silent',
};

class NameDto {
  @IsString() @MaxLength(100) name: string;
}

@Controller()
class PlantedController {
  /** Answers 500 to any name but the one the valid request sends: a handler that trusts its input. */
  @Post('planted')
  @Roles('ADMIN')
  planted(@Body() body: NameDto) {
    if (body.name !== 'Imran') throw new Error('planted bug');
    return { ok: true };
  }

  @Post('sound')
  @Roles('ADMIN')
  sound(@Body() body: NameDto) {
    return { name: body.name };
  }
}

let app: ServiceApp;
beforeAll(async () => {
  @Module({ imports: [ServiceRuntimeModule.forRoot({ name: 'fuzz-target', env })], controllers: [PlantedController] })
  class FuzzTargetModule {}
  app = await createServiceApp(FuzzTargetModule, { name: 'fuzz-target' });
});
afterAll(async () => {
  await app.close();
});

const target = {
  service: () => ({ app }) as unknown as TestService,
  token: (role: Role) => `${mintToken({ subject: 'fuzzer', roles: [role], scope: {} }, signer, '5m')}`,
};
const rowFor = (path: string): MatrixRow => ({
  operation: `POST ${path}`,
  prepare: () => Promise.resolve({ path, body: { name: 'Imran' } }),
  expect: { 'in-scope': okFor(['ADMIN'], 403), 'out-of-scope': every(403), 'own-case': every(403) },
});

it('catches a route that answers 500 to input it did not expect, naming the request', async () => {
  const findings = await fuzzOperation({ ...target, rows: [] }, rowFor('/planted'), 7);
  expect(findings.length).toBeGreaterThan(0);
  expect(findings[0]).toMatchObject({ problem: 'a server error', request: expect.stringMatching(/^POST \/planted .* -> 500$/) });
});

it('finds nothing wrong with a route that validates its input', async () => {
  expect(await fuzzOperation({ ...target, rows: [] }, rowFor('/sound'), 7)).toEqual([]);
});

it('mutates a copy: drops or replaces one field, adds an unknown one, swaps the path id', () => {
  const attempt = { path: '/cases/3f0b4d7e-8a4c-4c1e-9b1a-2d5e6f708192/notes?page=1', body: { text: 'x', author: { unitId: 'u' } } };
  expect(mutate(attempt, { kind: 'drop', path: ['author', 'unitId'] }).body).toEqual({ text: 'x', author: {} });
  expect(mutate(attempt, { kind: 'set', path: ['text'], value: 42 }).body).toEqual({ text: 42, author: { unitId: 'u' } });
  expect(mutate(attempt, { kind: 'unknown-field', value: null }).body).toMatchObject({ unexpectedField: null });
  expect(mutate(attempt, { kind: 'path-id', value: 'not-a-uuid' }).path).toBe('/cases/not-a-uuid/notes?page=1');
  expect(mutate(attempt, { kind: 'query', name: 'pageSize', value: '-1' }).path).toBe(
    '/cases/3f0b4d7e-8a4c-4c1e-9b1a-2d5e6f708192/notes?page=1&pageSize=-1',
  );
  expect(attempt.body).toEqual({ text: 'x', author: { unitId: 'u' } });
});

it('fuzzes with a fixed seed unless told to replay one or explore', () => {
  expect(fuzzSeed(undefined)).toBe(DEFAULT_FUZZ_SEED);
  expect(fuzzSeed('1970169514')).toBe(1970169514);
  expect(fuzzSeed('random')).not.toBe(fuzzSeed('random'));
});
