import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { ALL_ROLES, Role } from '@conduct/auth';
import { TestService } from './service-app';

/** What an attempt must get: a 2xx, or the refusal that says "not yours" (403) or "no such thing" (404). */
export type Outcome = 'ok' | 403 | 404;

/**
 * Where the caller stands: the record lies in their scope, outside it, or is about them (their
 * token's service number is the officer's).
 */
export type MatrixContext = 'in-scope' | 'out-of-scope' | 'own-case';
export const MATRIX_CONTEXTS: readonly MatrixContext[] = ['in-scope', 'out-of-scope', 'own-case'];

export type RoleOutcomes = Readonly<Record<Role, Outcome>>;

/** `ok` for the roles listed, `otherwise` for every other role. */
export function okFor(roles: readonly Role[], otherwise: 403 | 404): RoleOutcomes {
  return Object.fromEntries(ALL_ROLES.map((role) => [role, roles.includes(role) ? 'ok' : otherwise])) as Record<Role, Outcome>;
}

/**
 * 404 for the roles listed, 403 for the others: out of scope, the roles a route admits reach the
 * record's check, which hides it; the others are turned away by role first.
 */
export function notFoundFor(roles: readonly Role[]): RoleOutcomes {
  return Object.fromEntries(ALL_ROLES.map((role) => [role, roles.includes(role) ? 404 : 403])) as Record<Role, Outcome>;
}

/** The same outcome for every role. */
export const every = (outcome: Outcome): RoleOutcomes => okFor(outcome === 'ok' ? ALL_ROLES : [], outcome === 'ok' ? 403 : outcome);

/** One attempt's request: what `prepare` made fresh for it. */
export interface Attempt {
  path: string;
  body?: object;
  /** An answer that stays open (Server-Sent Events): only its status is read, then it is closed. */
  stream?: boolean;
}

export interface MatrixRow {
  /** `METHOD /path/{param}`, as the service's OpenAPI document names the operation. */
  operation: string;
  /**
   * Fresh state for one attempt (a case at the right stage, say), made by other people than the
   * caller, except in the own-case context, where the record is the caller's own.
   */
  prepare(context: MatrixContext, role: Role): Promise<Attempt>;
  /** The expected answers, written by hand per context and role. */
  expect: Readonly<Record<MatrixContext, RoleOutcomes>>;
  /** A token of the row's own instead of the matrix's (a national caller for a national operation). */
  token?(role: Role, context: MatrixContext): string;
  /** Why the API fuzzer leaves this operation out (it is then named in the fuzz suite's title). */
  notFuzzed?: string;
  /** Refusals the domain records on purpose (a refused publication is audited): the fuzzer lets them write. */
  recordsRefusals?: { status: number; why: string };
}

export interface AuthorizationMatrix {
  service: () => TestService;
  /** The caller's token for a role in a context. */
  token(role: Role, context: MatrixContext): string;
  rows: readonly MatrixRow[];
}

/**
 * Sends an attempt of an operation (`METHOD /path`) with a bearer token. The body goes as raw JSON
 * text, so that it may be any JSON value (a bare number, a string); a GET sends none.
 */
export function sendAttempt(service: TestService, operation: string, attempt: Attempt, bearer: string): Promise<request.Response> {
  const [method] = operation.split(' ') as [string];
  const server = request(service.app.getHttpServer());
  const call =
    method === 'GET'
      ? server.get(attempt.path)
      : method === 'DELETE'
        ? server.delete(attempt.path)
        : method === 'PUT'
          ? server.put(attempt.path)
          : method === 'PATCH'
            ? server.patch(attempt.path)
            : server.post(attempt.path);
  const authorized = call.set('Authorization', `Bearer ${bearer}`);
  if (attempt.stream) {
    return authorized.buffer(false).parse((response, done) => {
      // The status and headers are in; the stream would never end on its own.
      (response as unknown as IncomingMessage).destroy();
      done(null, undefined);
    });
  }
  return method === 'GET' ? authorized : authorized.set('Content-Type', 'application/json').send(JSON.stringify(attempt.body ?? {}));
}

type OpenApiOperations = Record<string, Record<string, { security?: unknown[]; responses?: Record<string, unknown> }>>;

const openApiPaths = async (service: TestService): Promise<OpenApiOperations> =>
  ((await request(service.app.getHttpServer()).get('/docs-json').expect(200)).body as { paths: OpenApiOperations }).paths;

/** Every operation of the service's OpenAPI document that needs a token: `METHOD /path`. */
export async function guardedOperations(service: TestService): Promise<string[]> {
  return Object.entries(await openApiPaths(service)).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => !(Array.isArray(operation.security) && operation.security.length === 0))
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}

/** The success statuses (2xx) the OpenAPI document gives each operation: `METHOD /path` → ['201']. */
async function documentedSuccesses(service: TestService): Promise<Map<string, string[]>> {
  return new Map(
    Object.entries(await openApiPaths(service)).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          [`${method.toUpperCase()} ${path}`, Object.keys(operation.responses ?? {}).filter((status) => status.startsWith('2'))] as const,
      ),
    ),
  );
}

/**
 * Registers the matrix's tests: one that every guarded operation of the OpenAPI document has a row
 * (and every row an operation), then one per row that tries every role in every context, each
 * attempt on fresh state, and lists every answer that differs from the row.
 */
export function describeAuthorizationMatrix(matrix: AuthorizationMatrix): void {
  it('has a row for every operation of the OpenAPI document, and no row without one', async () => {
    const operations = (await guardedOperations(matrix.service())).sort();
    expect(matrix.rows.map((row) => row.operation).sort()).toEqual(operations);
  });

  it.each(matrix.rows.map((row) => [row.operation, row] as const))(
    '%s answers each role in each context as the matrix says',
    async (_operation, row) => {
      const mismatches: string[] = [];
      // A success must be one the OpenAPI document promises (201 for a create, not a documented 200).
      const documented = (await documentedSuccesses(matrix.service())).get(row.operation) ?? [];
      for (const context of MATRIX_CONTEXTS) {
        for (const role of ALL_ROLES) {
          const attempt = await row.prepare(context, role);
          const response = await sendAttempt(matrix.service(), row.operation, attempt, (row.token ?? matrix.token)(role, context));
          const got: 'ok' | number = response.status >= 200 && response.status < 300 ? 'ok' : response.status;
          if (got === 'ok' && !documented.includes(String(response.status))) {
            mismatches.push(`${context} ${role}: answered ${response.status}, the OpenAPI document says ${documented.join(' or ') || 'no success'}`);
          }
          const expected = row.expect[context][role];
          if (got !== expected)
            mismatches.push(
              `${context} ${role}: expected ${expected}, got ${got}${typeof got === 'number' ? ` ${JSON.stringify((response.body as { code?: string }).code ?? '')}` : ''}`,
            );
        }
      }
      expect(mismatches).toEqual([]);
    },
  );
}
