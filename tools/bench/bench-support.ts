/**
 * What the benchmarks share: settings from the environment, percentiles, and an HTTP client for
 * the running services (npm start) that signs its own tokens with the local development key.
 */
import { Client } from 'pg';
import { mintLocalToken, type Principal } from '@conduct/auth';

/** Runs one statement on the server's `postgres` database: creating and dropping a benchmark's own database. */
export async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** The p-th percentile of ascending values (nearest rank), 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** p50 and p99 in milliseconds of a list of durations. */
export function latencySummary(durationsMs: readonly number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2) };
}

/** Progress goes to stderr, so that stdout ends with the one JSON line. */
export const progress = (message: string): void => void process.stderr.write(`${message}\n`);

export const serviceUrls = {
  approval: process.env['APPROVAL_URL'] ?? 'http://127.0.0.1:3001',
  violation: process.env['VIOLATION_URL'] ?? 'http://127.0.0.1:3002',
  notification: process.env['NOTIFICATION_URL'] ?? 'http://127.0.0.1:3003',
  reporting: process.env['REPORTING_URL'] ?? 'http://127.0.0.1:3004',
};

export interface Answer<T> {
  status: number;
  body: T;
  ms: number;
}

/**
 * `count` people with the same roles and scope (subjects `<subject>-1` …), as Authorization
 * headers. The services limit the rate of each subject (RATE_LIMIT_REQUESTS per window, 600 a
 * minute by default): load from many people stays within it, as a force's load would.
 */
export function authorizations(principal: Principal, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `Bearer ${mintLocalToken({ ...principal, subject: `${principal.subject}-${i + 1}` }, '8h')}`);
}

/**
 * A caller of one service as `people` people of one kind (see authorizations), taking turns:
 * each call is timed, and any answer but `expect` throws.
 */
export function apiClient(baseUrl: string, principal: Principal, people = 100) {
  const tokens = authorizations(principal, people);
  let turn = 0;
  const call = async <T>(method: string, path: string, body: unknown, expect: number): Promise<Answer<T>> => {
    const authorization = tokens[turn++ % tokens.length]!;
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status !== expect) throw new Error(`${method} ${path} answered ${response.status}, expected ${expect}: ${text.slice(0, 500)}`);
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, ms };
  };
  return {
    tokens,
    get: <T>(path: string, expect = 200) => call<T>('GET', path, undefined, expect),
    post: <T>(path: string, body: unknown, expect = 201) => call<T>('POST', path, body, expect),
  };
}

/** Fails early, naming the command to run, when a service is not up. */
export async function requireRunning(name: string, baseUrl: string): Promise<void> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`);
    if (response.ok) return;
    throw new Error(`answered ${response.status}`);
  } catch (error) {
    throw new Error(`${name} at ${baseUrl} is not ready (${(error as Error).message}): start the system with npm start first`);
  }
}

/** A report the running system accepts: a constable's TikTok video in uniform, in Karachi South. */
export function violationReport(serial: number) {
  const now = Date.now();
  return {
    officer: { serviceNumber: `KHI-${40000 + (serial % 5000)}`, name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' },
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' },
    platform: 'tiktok',
    contentUrl: `https://www.tiktok.com/@bench/video/${serial}`,
    conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
    evidence: {
      sha256: serial.toString(16).padStart(64, '0'),
      capturedAt: new Date(now - 86_400_000).toISOString(),
      archiveLocation: 's3://bench/ev',
    },
    clauses: ['SND-1'],
    observedAt: new Date(now - 2 * 86_400_000).toISOString(),
    becameKnownAt: new Date(now - 86_400_000).toISOString(),
    onDuty: true,
    description: 'Video filmed in uniform (benchmark)',
  };
}

/** The identities the benchmarks act as. */
export const benchPeople = {
  investigator: { subject: 'bench-ia', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } } satisfies Principal,
  analyst: { subject: 'bench-hq', roles: ['HQ_ANALYST'], scope: {} } satisfies Principal,
};
