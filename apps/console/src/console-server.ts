import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { mintLocalToken } from '@conduct/auth';
import { PolicyCatalogue, isIsoDateOrInstant } from '@conduct/policy';
import { ConsoleConfig, SERVICE_PREFIXES, ServicePrefix } from './console-config';
import { DEMO_IDENTITIES } from './demo-identities';
import { OidcSignIn, OidcSignInError } from './oidc-sign-in';
import { csrfTokenMatches, Session, SessionStore } from './sessions';

export const SESSION_COOKIE = 'conduct_session';
/** Holds the state of a sign-in at the identity provider until its callback. */
export const SIGN_IN_COOKIE = 'conduct_sign_in';
const MAX_BODY_BYTES = 1_048_576;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a browser's request may tell a service, and what a service's answer may tell the browser. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-match', 'idempotency-key', 'accept-language'];
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'etag',
  'content-disposition',
  'location',
  'retry-after',
  'conduct-read-model-generation',
];
const UPSTREAM_TIMEOUT_MS = 30_000;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const SECURITY_HEADERS: Record<string, string> = {
  // ECharts and React set style attributes; nothing else is inline.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: { field: string; reason: string }[],
  ) {
    super(detail);
  }
}

/**
 * The backend-for-frontend (docs/adr/0022-console.md): serves the web app, holds each person's
 * session (an httpOnly, SameSite=Strict cookie naming a session kept here) and calls the four
 * services on their behalf at /api/<service>/..., adding the bearer token. The browser never sees a
 * token, and no service needs CORS. People sign in at the force's identity provider (OIDC), or,
 * in local runs, as demo identities whose tokens it mints.
 */
export function createConsoleServer(
  config: ConsoleConfig,
  sessions = new SessionStore(config),
  catalogue = PolicyCatalogue.builtIn(),
  oidc = config.oidc ? new OidcSignIn(config.oidc) : undefined,
): Server {
  const secure = config.secureCookie ? '; Secure' : '';
  const addCookie = (response: ServerResponse, cookie: string) => {
    const current = response.getHeader('set-cookie');
    response.setHeader('set-cookie', [...(Array.isArray(current) ? current : []), cookie]);
  };
  const setCookie = (response: ServerResponse, value: string, maxAgeSeconds: number) =>
    addCookie(response, `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
  // Lax, not Strict: the provider sends the browser back to the callback by a cross-site navigation.
  const setSignInCookie = (response: ServerResponse, state: string, maxAgeSeconds: number) =>
    addCookie(response, `${SIGN_IN_COOKIE}=${state}; Path=/bff/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`);
  const redirect = (response: ServerResponse, location: string) => {
    response.writeHead(302, { location, 'cache-control': 'no-store' }).end();
  };

  const sessionView = (session: Session | undefined) =>
    session
      ? {
          signedIn: true,
          signIn: config.signIn,
          subject: session.principal.subject,
          roles: session.principal.roles,
          scope: session.principal.scope,
          serviceNumber: session.principal.serviceNumber ?? null,
          csrfToken: session.csrfToken,
          idleTimeoutMs: config.idleTimeoutMs,
        }
      : { signedIn: false, signIn: config.signIn };

  const requireSession = (request: IncomingMessage, response: ServerResponse): Session => {
    const session = sessions.use(cookieValue(request, SESSION_COOKIE));
    if (!session) {
      setCookie(response, '', 0);
      throw new HttpProblem(401, 'console.signed-out', 'Sign in first: there is no session, or it ended after a time without use');
    }
    if (STATE_CHANGING.has(request.method ?? 'GET') && !csrfTokenMatches(session, header(request, 'x-csrf-token'))) {
      throw new HttpProblem(403, 'console.csrf', 'The X-CSRF-Token header is missing or does not match the session');
    }
    return session;
  };

  const routes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const method = request.method ?? 'GET';
    if (STATE_CHANGING.has(method)) assertSameOrigin(request);

    // For container health checks and load balancers: the console holds no connections of its own to check.
    if ((url.pathname === '/health/live' || url.pathname === '/health/ready') && method === 'GET') {
      return sendJson(response, 200, { status: 'ok' });
    }
    if (url.pathname === '/bff/session' && method === 'GET') {
      return sendJson(response, 200, sessionView(sessions.use(cookieValue(request, SESSION_COOKIE))));
    }
    if (url.pathname === '/bff/sign-in/oidc' && method === 'GET' && oidc) {
      const { url: providerUrl, state } = await oidc.begin().catch(signInFailed);
      setSignInCookie(response, state, 600);
      return redirect(response, providerUrl);
    }
    if (url.pathname === '/bff/oidc/callback' && method === 'GET' && oidc) {
      setSignInCookie(response, '', 0);
      try {
        const state = cookieValue(request, SIGN_IN_COOKIE);
        if (!state || state !== url.searchParams.get('state'))
          throw new OidcSignInError('This sign-in did not start here, or took too long: start again');
        const signedIn = await oidc.complete(new URL(`${config.oidc!.redirectUri}${url.search}`), state);
        sessions.end(cookieValue(request, SESSION_COOKIE));
        const session = sessions.start(signedIn.principal, signedIn.accessToken, signedIn.expiresAt);
        setCookie(response, session.id, Math.max(1, Math.ceil((session.expiresAt - Date.now()) / 1000)));
        return redirect(response, '/');
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        return redirect(response, `/?signInFailed=${encodeURIComponent(error.message)}`);
      }
    }
    if (config.signIn !== 'local' && (url.pathname === '/bff/identities' || url.pathname === '/bff/sign-in/local')) {
      throw new HttpProblem(404, 'console.not-found', 'Demo identities exist only where the console signs in locally (CONSOLE_SIGN_IN=local)');
    }
    if (url.pathname === '/bff/identities' && method === 'GET') {
      return sendJson(response, 200, {
        items: DEMO_IDENTITIES.map(({ id, label, principal }) => ({ id, label, roles: principal.roles, scope: principal.scope })),
      });
    }
    if (url.pathname === '/bff/sign-in/local' && method === 'POST') {
      const body = await readJson(request);
      const identity = DEMO_IDENTITIES.find((candidate) => candidate.id === (body as { identity?: unknown }).identity);
      if (!identity)
        throw new HttpProblem(400, 'request.validation-failed', 'Unknown identity', [
          { field: 'identity', reason: 'identity must name one of GET /bff/identities' },
        ]);
      sessions.end(cookieValue(request, SESSION_COOKIE));
      const ttlSeconds = Math.ceil(config.maxAgeMs / 1000);
      const session = sessions.start(identity.principal, mintLocalToken(identity.principal, ttlSeconds));
      setCookie(response, session.id, ttlSeconds);
      return sendJson(response, 200, sessionView(session));
    }
    if (url.pathname === '/bff/sign-out' && method === 'POST') {
      const session = requireSession(request, response);
      sessions.end(session.id);
      setCookie(response, '', 0);
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/bff/policy' && method === 'GET') {
      requireSession(request, response);
      return sendJson(response, 200, policyInForce(catalogue, url.searchParams));
    }
    const api = /^\/api\/([a-z]+)(\/.*)$/.exec(url.pathname);
    if (api) {
      const service = api[1] as ServicePrefix;
      if (!SERVICE_PREFIXES.includes(service)) throw new HttpProblem(404, 'console.unknown-service', `No service is called "${service}"`);
      const session = requireSession(request, response);
      return proxy(request, response, `${config.services[service]}${api[2]}${url.search}`, session);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpProblem(405, 'console.method-not-allowed', `${method} is not allowed here`);
    return serveWebApp(config.webDir, url.pathname, response);
  };

  return createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    routes(request, response, url).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const problem = error instanceof HttpProblem ? error : new HttpProblem(500, 'console.internal', 'The console failed to answer');
      if (!(error instanceof HttpProblem)) console.error('console: unexpected error', error);
      response.writeHead(problem.status, { 'content-type': 'application/problem+json' });
      response.end(
        JSON.stringify({
          type: `urn:conduct:problem:${problem.code}`,
          title: problem.code,
          status: problem.status,
          detail: problem.detail,
          instance: url.pathname,
          ...(problem.errors ? { errors: problem.errors } : {}),
        }),
      );
    });
  });
}

/** Calls the service as the session's person, passing back its answer as it streams. */
async function proxy(request: IncomingMessage, response: ServerResponse, target: string, session: Session): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.accessToken}` };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = header(request, name);
    if (value !== undefined) headers[name] = value;
  }
  const method = request.method ?? 'GET';
  const body = STATE_CHANGING.has(method) ? await readBody(request) : undefined;
  // A browser that goes away ends the call to the service; an event stream (GET /live) has no time limit.
  const gone = new AbortController();
  response.on('close', () => gone.abort());
  const streaming = headers['accept']?.includes('text/event-stream') ?? false;
  const signal = streaming ? gone.signal : AbortSignal.any([gone.signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]);
  let upstream: Response;
  try {
    upstream = await fetch(target, { method, headers, body, redirect: 'manual', signal });
  } catch {
    throw new HttpProblem(502, 'console.service-unavailable', 'The service did not answer; try again in a moment');
  }
  const answer: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) answer[name] = value;
  }
  response.writeHead(upstream.status, answer);
  if (!upstream.body) {
    response.end();
    return;
  }
  for await (const chunk of upstream.body) {
    if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
  }
  response.end();
}

/** The policy pack in force in a province at a moment: what the report form offers. */
function policyInForce(catalogue: PolicyCatalogue, query: URLSearchParams) {
  const province = query.get('province') ?? '';
  const at = query.get('at') ?? new Date().toISOString();
  if (!province)
    throw new HttpProblem(400, 'request.validation-failed', 'province is required', [{ field: 'province', reason: 'province is required' }]);
  if (!isIsoDateOrInstant(at))
    throw new HttpProblem(400, 'request.validation-failed', 'at must be an ISO 8601 date', [
      { field: 'at', reason: 'at must be an ISO 8601 date or instant' },
    ]);
  let pack;
  try {
    pack = catalogue.versionInForce(province, at);
  } catch (error) {
    throw new HttpProblem(422, 'policy.not-in-force', error instanceof Error ? error.message : String(error), [
      { field: 'province', reason: 'no policy pack in force' },
    ]);
  }
  return {
    packId: pack.packId,
    version: pack.version,
    title: pack.title,
    effectiveFrom: pack.effectiveFrom,
    takedownPeriodDays: pack.takedownPeriodDays,
    sanctions: pack.sanctions,
    clauses: pack.clauses.map(({ id, title, category }) => ({ id, title, category })),
  };
}

async function serveWebApp(webDir: string, pathname: string, response: ServerResponse): Promise<void> {
  const root = normalize(webDir + sep);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new HttpProblem(400, 'request.malformed-path', 'The path is not valid percent-encoding');
  }
  let file = normalize(join(root, decoded));
  if (!file.startsWith(root)) throw new HttpProblem(404, 'console.not-found', 'No such page');
  const found = await stat(file).catch(() => undefined);
  // A path that is not a file is a page of the single-page app: index.html routes it in the browser.
  if (!found?.isFile()) {
    if (pathname.startsWith('/assets/')) throw new HttpProblem(404, 'console.not-found', 'No such file');
    file = join(root, 'index.html');
    if (!(await stat(file).catch(() => undefined))?.isFile()) {
      throw new HttpProblem(503, 'console.not-built', 'The web app is not built: run npm run build');
    }
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    // Vite names assets by their content hash: they never change; index.html always may.
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(response);
}

function assertSameOrigin(request: IncomingMessage): void {
  const origin = header(request, 'origin');
  const host = header(request, 'host');
  // `Origin: null` (a sandboxed frame, a file) or any other unparsable origin is not ours either.
  if (origin !== undefined && host !== undefined && URL.parse(origin)?.host !== host) {
    throw new HttpProblem(403, 'console.cross-origin', 'Requests that change something must come from the console itself');
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookieValue(request: IncomingMessage, cookie: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=') || undefined;
  }
  return undefined;
}

function signInFailed(error: unknown): never {
  throw new HttpProblem(502, 'console.identity-provider', error instanceof Error ? error.message : String(error));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'request.too-large', `The body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(request: IncomingMessage): Promise<object> {
  const text = (await readBody(request)).toString('utf8');
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new HttpProblem(400, 'request.malformed-json', 'The body must be a JSON object');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
