import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsoleConfig } from './console-config';
import { createConsoleServer, SESSION_COOKIE } from './console-server';

/** A stand-in for one service: answers every call with what it received (the console's view of a service is HTTP only). */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('the console’s backend-for-frontend', () => {
  const received: Received[] = [];
  let upstream: Server;
  let console: Server;
  let base: string;
  let webDir: string;
  let streamClosed: Promise<boolean> | undefined;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      if (request.url === '/live') {
        // An event stream that never ends by itself, as reporting-service's GET /live.
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write('event: change\ndata: {"kind":"case","id":"c-1"}\n\n');
        streamClosed = new Promise((resolve) => response.on('close', () => resolve(true)));
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', etag: '"7"', 'x-internal': 'secret' });
        response.end(JSON.stringify({ ok: true }));
      });
    });
    const upstreamUrl = await listen(upstream);
    webDir = mkdtempSync(join(tmpdir(), 'console-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Conduct</title>');
    const config = loadConsoleConfig({
      APPROVAL_SERVICE_URL: upstreamUrl,
      VIOLATION_SERVICE_URL: upstreamUrl,
      NOTIFICATION_SERVICE_URL: upstreamUrl,
      // Nothing listens there: a service that is down.
      REPORTING_SERVICE_URL: 'http://127.0.0.1:9',
      CONSOLE_WEB_DIR: webDir,
    });
    console = createConsoleServer(config);
    base = await listen(console);
  });
  afterAll(async () => {
    await new Promise((resolve) => console?.close(resolve));
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const signIn = async (identity: string) => {
    const response = await fetch(`${base}/bff/sign-in/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ identity }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    const session = (await response.json()) as { csrfToken: string; roles: string[]; scope: object };
    return { cookie: cookie.split(';')[0]!, setCookie: cookie, session };
  };

  it('refuses the services’ API without a session, as problem+json', async () => {
    const response = await fetch(`${base}/api/violation/cases`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, type: 'urn:conduct:problem:console.signed-out' });
    expect(received).toHaveLength(0);
  });

  it('signs a demo identity in with an httpOnly, SameSite=Strict cookie, and calls the service with its token', async () => {
    const { cookie, setCookie, session } = await signIn('ia-rashid');
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`));
    expect(session).toMatchObject({ roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh', range: 'karachi' } });

    const response = await fetch(`${base}/api/violation/cases?status=open`, { headers: { cookie, 'x-internal': 'from the browser' } });
    expect(response.status).toBe(200);
    // Only the headers a page needs come back.
    expect(response.headers.get('etag')).toBe('"7"');
    expect(response.headers.get('x-internal')).toBeNull();
    const call = received.at(-1)!;
    expect(call.url).toBe('/cases?status=open');
    expect(call.headers['x-internal']).toBeUndefined();
    expect(call.headers.cookie).toBeUndefined();
    const token = call.headers.authorization!.replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; roles: string[] };
    expect(claims).toMatchObject({ sub: 'ia-rashid', roles: ['IA_INVESTIGATOR'] });
  });

  it('passes a state-changing call on only with the session’s CSRF token, from its own origin', async () => {
    const { cookie, session } = await signIn('ia-rashid');
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/violation/cases/c-1/notes`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ text: 'Called the SHO' }),
      });
    const before = received.length;
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'guessed' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': session.csrfToken, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': session.csrfToken, origin: 'null' })).status).toBe(403);
    expect(received).toHaveLength(before);

    const accepted = await post({ 'x-csrf-token': session.csrfToken, origin: base, 'if-match': '"6"' });
    expect(accepted.status).toBe(201);
    const call = received.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', url: '/cases/c-1/notes', body: JSON.stringify({ text: 'Called the SHO' }) });
    expect(call.headers['if-match']).toBe('"6"');
  });

  it('passes an event stream on as it comes, and closes it at the service when the browser leaves', async () => {
    const { cookie } = await signIn('hq-analyst');
    const controller = new AbortController();
    const response = await fetch(`${base}/api/violation/live`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value as Uint8Array)).toContain('event: change');
    controller.abort();
    expect(await streamClosed).toBe(true);
  });

  it('ends the session at sign-out', async () => {
    const { cookie, session } = await signIn('hq-analyst');
    const out = await fetch(`${base}/bff/sign-out`, { method: 'POST', headers: { cookie, 'x-csrf-token': session.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${base}/api/approval/units`, { headers: { cookie } })).status).toBe(401);
    expect(await (await fetch(`${base}/bff/session`, { headers: { cookie } })).json()).toEqual({ signedIn: false, signIn: 'local' });
  });

  it('names the field at fault, and answers 502 when a service is down', async () => {
    const unknown = await fetch(`${base}/bff/sign-in/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"identity":"mallory"}',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ errors: [{ field: 'identity' }] });
    const malformed = await fetch(`${base}/bff/sign-in/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"identity":',
    });
    expect(malformed.status).toBe(400);

    const { cookie } = await signIn('hq-analyst');
    const down = await fetch(`${base}/api/reporting/reports/cases`, { headers: { cookie } });
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ type: 'urn:conduct:problem:console.service-unavailable' });
    expect((await fetch(`${base}/api/nosuch/x`, { headers: { cookie } })).status).toBe(404);
  });

  it('offers the clauses of the policy pack in force for a province and date', async () => {
    const { cookie } = await signIn('ia-rashid');
    const policy = (await (await fetch(`${base}/bff/policy?province=sindh&at=2026-11-19T10:00:00Z`, { headers: { cookie } })).json()) as {
      packId: string;
      clauses: { id: string }[];
    };
    expect(policy.packId).toBe('sindh');
    expect(policy.clauses.map((clause) => clause.id)).toContain('SND-1');
    const nowhere = await fetch(`${base}/bff/policy?province=atlantis`, { headers: { cookie } });
    expect(nowhere.status).toBe(422);
    expect(await nowhere.json()).toMatchObject({ errors: [{ field: 'province' }] });
  });

  it('answers health checks without a session', async () => {
    expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({ status: 'ok' });
  });

  it('serves the web app for any page, with its security headers, and nothing outside it', async () => {
    const page = await fetch(`${base}/cases/some-case`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Conduct</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    const malformed = await fetch(`${base}/cases/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
  });
});
