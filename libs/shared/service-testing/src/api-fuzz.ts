import fc from 'fast-check';
import { ALL_ROLES, Role } from '@conduct/auth';
import { Attempt, AuthorizationMatrix, MATRIX_CONTEXTS, MatrixContext, MatrixRow, sendAttempt } from './authorization-matrix';

/** Runs per operation: the first VALID_RUNS send the prepared request as it is (each must be a 2xx). */
const RUNS = 50;
const VALID_RUNS = 10;

/** The seed `npm test` fuzzes with: the suite stays deterministic (a red run is a real finding, replayable). */
export const DEFAULT_FUZZ_SEED = 20261205;

/**
 * The seed of this run's generators, in every test's title: FUZZ_SEED=<n> replays a run,
 * FUZZ_SEED=random explores with a new one; unset, DEFAULT_FUZZ_SEED.
 */
export const fuzzSeed = (value = process.env['FUZZ_SEED']): number => {
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31);
  const given = Number(value);
  return value !== undefined && value !== '' && Number.isSafeInteger(given) ? given : DEFAULT_FUZZ_SEED;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values at the edges of what validation expects: empty, huge, wrong kinds, hostile text. */
const BOUNDARY_VALUES: Json[] = [
  '',
  ' ',
  'x'.repeat(10_001),
  '\u0000',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '2026-02-30T25:61:00Z',
  -1,
  0,
  1.5,
  2 ** 53,
  -(2 ** 63),
  true,
  null,
  [],
  {},
  [[[[[[[[[[[]]]]]]]]]]],
  { $where: '1' },
];

/** One change to a valid request: what a careless or hostile client sends instead. */
export type Mutation =
  | { kind: 'drop'; path: string[] }
  | { kind: 'set'; path: string[]; value: Json }
  | { kind: 'unknown-field'; value: Json }
  | { kind: 'whole-body'; value: Json }
  | { kind: 'path-id'; value: string }
  | { kind: 'query'; name: string; value: string };

/** Every field path of a JSON body (objects only; arrays count as leaves), up to three levels deep. */
function fieldPaths(value: unknown, prefix: string[] = [], depth = 0): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth >= 3) return [];
  return Object.entries(value).flatMap(([key, field]) => [[...prefix, key], ...fieldPaths(field, [...prefix, key], depth + 1)]);
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...BOUNDARY_VALUES),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.string({ maxLength: 300 }),
);

function mutations(example: Attempt): fc.Arbitrary<Mutation> {
  const paths = fieldPaths(example.body);
  const options: fc.Arbitrary<Mutation>[] = [
    jsonValue.map((value): Mutation => ({ kind: 'unknown-field', value })),
    fc.oneof(fc.constantFrom<Json>([], 'text', 42, null, [{}]), jsonValue).map((value): Mutation => ({ kind: 'whole-body', value })),
    fc
      .oneof(
        fc.constantFrom('not-a-uuid', '00000000-0000-4000-8000-000000000000', '%00', '..', 'a'.repeat(300)),
        fc.uuid(),
        fc.string({ minLength: 1, maxLength: 40 }),
      )
      .map((value): Mutation => ({ kind: 'path-id', value })),
    fc
      .tuple(
        fc.constantFrom('page', 'pageSize', 'from', 'to', 'status', 'caseId', 'format', 'unknownFilter'),
        fc.oneof(fc.constantFrom('-1', '0', '100000', 'abc', '', '2026-13-01'), fc.string({ maxLength: 50 })),
      )
      .map(([name, value]): Mutation => ({ kind: 'query', name, value })),
  ];
  if (paths.length > 0) {
    options.push(fc.constantFrom(...paths).map((path): Mutation => ({ kind: 'drop', path })));
    options.push(fc.tuple(fc.constantFrom(...paths), jsonValue).map(([path, value]): Mutation => ({ kind: 'set', path, value })));
  }
  return fc.oneof(...options);
}

const isUuidSegment = (segment: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment);

/** The request with the mutation applied: a copy, the valid attempt stays as it was. */
export function mutate(attempt: Attempt, mutation: Mutation): Attempt {
  const body = structuredClone(attempt.body ?? {}) as Record<string, Json>;
  switch (mutation.kind) {
    case 'whole-body':
      return { ...attempt, body: mutation.value as object };
    case 'unknown-field':
      return { ...attempt, body: { ...body, unexpectedField: mutation.value } };
    case 'drop':
    case 'set': {
      const parent = mutation.path.slice(0, -1).reduce<Record<string, Json>>((node, key) => node[key] as Record<string, Json>, body);
      const key = mutation.path.at(-1)!;
      if (mutation.kind === 'drop') delete parent[key];
      else parent[key] = mutation.value;
      return { ...attempt, body };
    }
    case 'path-id': {
      const [path, query] = attempt.path.split('?') as [string, string | undefined];
      const segments = path.split('/');
      const last = segments
        .map((segment, index) => (isUuidSegment(segment) ? index : -1))
        .filter((index) => index >= 0)
        .at(-1);
      if (last === undefined) return { ...attempt, path: `${path}/${encodeURIComponent(mutation.value)}${query ? `?${query}` : ''}` };
      segments[last] = encodeURIComponent(mutation.value);
      return { ...attempt, path: `${segments.join('/')}${query ? `?${query}` : ''}` };
    }
    case 'query':
      return { ...attempt, path: `${attempt.path}${attempt.path.includes('?') ? '&' : '?'}${mutation.name}=${encodeURIComponent(mutation.value)}` };
  }
}

export interface ApiFuzz extends AuthorizationMatrix {
  /** Events recorded on behalf of people so far (the service's own watchers excluded); none for a service without an event store. */
  eventCount?: () => Promise<number>;
}

export interface FuzzFinding {
  request: string;
  problem: string;
}

/** Someone allowed to send the operation: the first role and context the matrix answers 2xx (the fuzzer acts as them). */
const allowedCaller = (row: MatrixRow): { role: Role; context: MatrixContext } => {
  for (const context of MATRIX_CONTEXTS) {
    const role = ALL_ROLES.find((candidate) => row.expect[context][candidate] === 'ok');
    if (role) return { role, context };
  }
  throw new Error(`${row.operation}: nobody may send it, nothing to fuzz as`);
};

/**
 * Sends one operation RUNS times as a role allowed to: VALID_RUNS times the prepared request (each
 * a 2xx), then requests with one mutation each, generated from `seed`. Returns what went wrong: a
 * 5xx, a 4xx that is not problem+json, a refused request that recorded an event, a valid one refused.
 */
export async function fuzzOperation(fuzz: ApiFuzz, row: MatrixRow, seed: number): Promise<FuzzFinding[]> {
  const { role, context } = allowedCaller(row);
  const [method] = row.operation.split(' ') as [string];
  const findings: FuzzFinding[] = [];
  const send = async (attempt: Attempt, valid: boolean): Promise<void> => {
    const before = await fuzz.eventCount?.();
    const response = await sendAttempt(fuzz.service(), row.operation, attempt, (row.token ?? fuzz.token)(role, context));
    const described = `${method} ${attempt.path} ${JSON.stringify(attempt.body ?? null).slice(0, 300)} -> ${response.status}`;
    if (response.status >= 500) findings.push({ request: described, problem: 'a server error' });
    if (valid && (response.status < 200 || response.status >= 300))
      findings.push({ request: described, problem: `a valid request refused: ${JSON.stringify(response.body).slice(0, 200)}` });
    if (response.status >= 400 && !String(response.headers['content-type']).startsWith('application/problem+json'))
      findings.push({ request: described, problem: 'an error that is not problem+json' });
    const recordedByDesign = row.recordsRefusals?.status === response.status;
    if (response.status >= 400 && !recordedByDesign && fuzz.eventCount && (await fuzz.eventCount()) !== before)
      findings.push({ request: described, problem: 'a refused request recorded an event' });
  };
  for (let run = 0; run < VALID_RUNS; run++) await send(await row.prepare(context, role), true);
  const example = await row.prepare(context, role);
  await fc.assert(
    fc.asyncProperty(mutations(example), async (mutation) => {
      await send(mutate(await row.prepare(context, role), mutation), false);
    }),
    { seed, numRuns: RUNS - VALID_RUNS },
  );
  return findings;
}

/** Registers one fuzz test per operation of the matrix; each prints its seed when it fails. */
export function describeApiFuzz(fuzz: ApiFuzz): void {
  const seed = fuzzSeed();
  const left = fuzz.rows.filter((row) => row.notFuzzed);
  if (left.length > 0) {
    it(`leaves out ${left.map((row) => `${row.operation} (${row.notFuzzed!})`).join('; ')}, and nothing else`, () => {
      expect(left.every((row) => row.notFuzzed!.length > 20)).toBe(true); // a reason, not a shrug
    });
  }
  it.each(fuzz.rows.filter((row) => !row.notFuzzed).map((row) => [row.operation, row] as const))(
    `%s survives ${RUNS} generated requests (FUZZ_SEED=${seed})`,
    async (_operation, row) => {
      const findings = await fuzzOperation(fuzz, row, seed);
      if (findings.length > 0)
        throw new Error(`FUZZ_SEED=${seed} replays it:\n${findings.map((finding) => `${finding.problem}: ${finding.request}`).join('\n')}`);
    },
  );
}
