import { join } from 'node:path';
import type { OidcSettings } from './oidc-sign-in';

/** The four services the console calls, by the path prefix the browser uses: /api/<name>/... */
export const SERVICE_PREFIXES = ['approval', 'violation', 'notification', 'reporting'] as const;
export type ServicePrefix = (typeof SERVICE_PREFIXES)[number];

export interface ConsoleConfig {
  host: string;
  port: number;
  production: boolean;
  /**
   * local: the demo identities' page mints tokens with the development key (refused in production);
   * oidc: the force's identity provider signs people in (authorization code with PKCE).
   */
  signIn: 'local' | 'oidc';
  /** Set when signIn is oidc. */
  oidc?: OidcSettings;
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
  const signIn = env['CONSOLE_SIGN_IN'] || (production ? 'oidc' : 'local');
  if (signIn !== 'local' && signIn !== 'oidc') throw new ConsoleConfigError(`CONSOLE_SIGN_IN must be "local" or "oidc", got "${signIn}"`);
  if (production && signIn === 'local') {
    throw new ConsoleConfigError(
      'CONSOLE_SIGN_IN=local (demo identities, no password) is refused with NODE_ENV=production: sign in through the identity provider (oidc)',
    );
  }
  const oidc = signIn === 'oidc' ? oidcSettings(env, production) : undefined;
  return {
    host: env['HOST'] || '127.0.0.1',
    port: positiveInt(env, 'PORT', 3000),
    production,
    signIn,
    ...(oidc ? { oidc } : {}),
    services: {
      approval: serviceUrl(env, 'APPROVAL_SERVICE_URL', 'http://127.0.0.1:3001'),
      violation: serviceUrl(env, 'VIOLATION_SERVICE_URL', 'http://127.0.0.1:3002'),
      notification: serviceUrl(env, 'NOTIFICATION_SERVICE_URL', 'http://127.0.0.1:3003'),
      reporting: serviceUrl(env, 'REPORTING_SERVICE_URL', 'http://127.0.0.1:3004'),
    },
    idleTimeoutMs: positiveInt(env, 'CONSOLE_IDLE_TIMEOUT_MS', 15 * 60_000),
    maxAgeMs: positiveInt(env, 'CONSOLE_SESSION_MAX_AGE_MS', 8 * 3_600_000),
    webDir: env['CONSOLE_WEB_DIR'] ?? join(__dirname, '..', 'web'),
    // Production is reached over HTTPS (its public URL must say so): the cookie is never sent in clear.
    secureCookie: production || env['CONSOLE_SECURE_COOKIE'] === 'true',
  };
}

function oidcSettings(env: NodeJS.ProcessEnv, production: boolean): OidcSettings {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new ConsoleConfigError(`${name} is required with CONSOLE_SIGN_IN=oidc`);
    return value;
  };
  const issuer = required('CONSOLE_OIDC_ISSUER');
  const publicUrl = required('CONSOLE_PUBLIC_URL').replace(/\/+$/, '');
  const allowHttp = env['CONSOLE_OIDC_ALLOW_HTTP'] === 'true';
  if (production && allowHttp) throw new ConsoleConfigError('CONSOLE_OIDC_ALLOW_HTTP is refused with NODE_ENV=production');
  if (production && !publicUrl.startsWith('https://'))
    throw new ConsoleConfigError(`CONSOLE_PUBLIC_URL must be https:// in production, got "${publicUrl}"`);
  if (!allowHttp && !issuer.startsWith('https://')) throw new ConsoleConfigError(`CONSOLE_OIDC_ISSUER must be https://, got "${issuer}"`);
  const secret = env['CONSOLE_OIDC_CLIENT_SECRET'];
  const resource = env['CONSOLE_OIDC_RESOURCE'];
  return {
    issuer,
    clientId: required('CONSOLE_OIDC_CLIENT_ID'),
    ...(secret ? { clientSecret: secret } : {}),
    redirectUri: `${publicUrl}/bff/oidc/callback`,
    scope: env['CONSOLE_OIDC_SCOPE'] || 'openid',
    ...(resource ? { resource } : {}),
    allowHttp,
  };
}
