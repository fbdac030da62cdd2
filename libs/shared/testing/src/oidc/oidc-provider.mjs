// A real OpenID provider for tests: the OpenID-certified `oidc-provider` package on 127.0.0.1,
// issuing JWT access tokens (RS256) by the client credentials grant, and, for web apps, by the
// authorization code flow with PKCE after its own (development) login page. Each client stands for a
// person or system: its token carries the `roles`, `jurisdiction` (and a person's `service_number`) claims the services read, as a
// force's identity provider would map them. ESM (oidc-provider is ESM only), run by oidc.ts as a
// child process: the configuration comes in OIDC_CONFIG (JSON), and one line on stdout,
// {"issuer":…,"jwksUri":…}, says it listens.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { port, audience, clients, users = [], webClients = [] } = JSON.parse(process.env.OIDC_CONFIG);
const issuer = `http://127.0.0.1:${port}`;
const resource = `urn:conduct:${audience}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claimsOf = new Map(
  clients.map((client) => [
    client.clientId,
    { roles: client.roles, jurisdiction: client.jurisdiction, ...(client.serviceNumber ? { service_number: client.serviceNumber } : {}) },
  ]),
);

// People who sign in at the provider's own login page (any password), for a web app's login.
const claimsOfUser = new Map(
  users.map((user) => [
    user.login,
    { roles: user.roles, jurisdiction: user.jurisdiction, ...(user.serviceNumber ? { service_number: user.serviceNumber } : {}) },
  ]),
);
// A web app's tokens are for Conduct's API when it asks for the `conduct` scope on its resource.
const userScope = users.length > 0 ? 'conduct' : '';

const provider = new Provider(issuer, {
  clients: [
    ...clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    // Web apps: the authorization code flow, with PKCE (required for every client below).
    ...webClients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    })),
  ],
  findAccount: (_ctx, id) => (claimsOfUser.has(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
  pkce: { required: () => true },
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' }] },
  features: {
    devInteractions: { enabled: users.length > 0 },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: userScope, audience, accessTokenTTL: 300, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  extraTokenClaims: (_ctx, token) => (token.accountId ? claimsOfUser.get(token.accountId) : claimsOf.get(token.clientId)),
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer, jwksUri: `${issuer}/jwks` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
