import { join } from 'node:path';

/** The four services the console calls, by the path prefix the browser uses: /api/<name>/... */
export const SERVICE_PREFIXES = ['approval', 'violation', 'notification', 'reporting'] as const;
export type ServicePrefix = (typeof SERVICE_PREFIXES)[number];

export interface ConsoleConfig {
  host: string;
  port: number;
  production: boolean;
  /** local: the demo identities' page mints tokens (refused in production). */
  signIn: 'local';
  services: Record<ServicePrefix, string>;
  idleTimeoutMs: number;
  maxAgeMs: number;
  /** The built web app (index.html and assets/). */
  webDir: string;
  /** Mark the cookie Secure: on whenever the console is reached over HTTPS (always in production). */
  secureCookie: boolean;
}

export class ConsoleConfigError extends Error {}

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConsoleConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

const serviceUrl = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const raw = env[name] ?? fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConsoleConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
};

/** Reads the console's settings (README, "The console"); refuses what production must not run with. */
export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const production = env['NODE_ENV'] === 'production';
  const signIn = env['CONSOLE_SIGN_IN'] ?? 'local';
  if (signIn !== 'local') throw new ConsoleConfigError(`CONSOLE_SIGN_IN must be "local" (OIDC sign-in is not built yet), got "${signIn}"`);
  if (production) {
    throw new ConsoleConfigError('the console signs in only with local demo identities so far: it refuses to run with NODE_ENV=production');
  }
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: positiveInt(env, 'PORT', 3000),
    production,
    signIn,
    services: {
      approval: serviceUrl(env, 'APPROVAL_SERVICE_URL', 'http://127.0.0.1:3001'),
      violation: serviceUrl(env, 'VIOLATION_SERVICE_URL', 'http://127.0.0.1:3002'),
      notification: serviceUrl(env, 'NOTIFICATION_SERVICE_URL', 'http://127.0.0.1:3003'),
      reporting: serviceUrl(env, 'REPORTING_SERVICE_URL', 'http://127.0.0.1:3004'),
    },
    idleTimeoutMs: positiveInt(env, 'CONSOLE_IDLE_TIMEOUT_MS', 15 * 60_000),
    maxAgeMs: positiveInt(env, 'CONSOLE_SESSION_MAX_AGE_MS', 8 * 3_600_000),
    webDir: env['CONSOLE_WEB_DIR'] ?? join(__dirname, '..', 'web'),
    secureCookie: env['CONSOLE_SECURE_COOKIE'] === 'true',
  };
}
