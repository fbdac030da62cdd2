import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../tcp-proxy';

/** A person or system the test provider issues tokens to, with the claims Conduct reads. */
export interface OidcClient {
  clientId: string;
  roles: string[];
  jurisdiction: Record<string, string>;
  /** A person's police service number, issued as the `service_number` claim. */
  serviceNumber?: string;
}

/** A person who signs in at the provider's login page (with any password). */
export interface OidcUser {
  login: string;
  roles: string[];
  jurisdiction: Record<string, string>;
  serviceNumber?: string;
}

/** A web app that signs people in by the authorization code flow with PKCE. */
export interface OidcWebClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface OidcProvider {
  /** The provider's issuer URL: what JWT_ISSUER must name. */
  issuer: string;
  /** Its JWKS endpoint: what JWT_JWKS_URL must name. */
  jwksUri: string;
  /** An access token for the client, by the client credentials grant (a real token request). */
  token(clientId: string): Promise<string>;
  stop(): Promise<void>;
}

const CLIENT_SECRET = 'oidc-test-client-secret-of-some-length';

/**
 * Starts a real OpenID provider (`oidc-provider`, in a child process of its own: the package is
 * ESM only) on a free port of 127.0.0.1. Its access tokens are RS256 JWTs for `audience` carrying
 * each client's roles and jurisdiction; with `login`, people sign in at its development login page
 * (any password) for web clients, and their tokens carry their own roles and jurisdiction.
 */
export async function startOidcProvider(
  clients: OidcClient[],
  audience = 'conduct',
  login: { users: OidcUser[]; webClients: OidcWebClient[] } = { users: [], webClients: [] },
): Promise<OidcProvider> {
  const port = await freePort();
  const config = { port, audience, clients: clients.map((client) => ({ ...client, clientSecret: CLIENT_SECRET })), ...login };
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: { ...process.env, OIDC_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { issuer, jwksUri } = await new Promise<{ issuer: string; jwksUri: string }>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start within 15 s: ${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { issuer: string; jwksUri: string });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the OpenID provider exited (${code}): ${output}`));
    });
  });
  return {
    issuer,
    jwksUri,
    async token(clientId) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || !body.access_token)
        throw new Error(`token request for ${clientId} refused: ${response.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
      return body.access_token;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
