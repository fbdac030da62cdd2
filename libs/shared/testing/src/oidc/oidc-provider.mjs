// A real OpenID provider for tests: the OpenID-certified `oidc-provider` package on 127.0.0.1,
// issuing JWT access tokens (RS256) by the client credentials grant. Each client stands for a
// person or system: its token carries the `roles`, `jurisdiction` (and a person's `service_number`) claims the services read, as a
// force's identity provider would map them. ESM (oidc-provider is ESM only), run by oidc.ts as a
// child process: the configuration comes in OIDC_CONFIG (JSON), and one line on stdout,
// {"issuer":…,"jwksUri":…}, says it listens.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { port, audience, clients } = JSON.parse(process.env.OIDC_CONFIG);
const issuer = `http://127.0.0.1:${port}`;
const resource = `urn:conduct:${audience}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claimsOf = new Map(
  clients.map((client) => [
    client.clientId,
    { roles: client.roles, jurisdiction: client.jurisdiction, ...(client.serviceNumber ? { service_number: client.serviceNumber } : {}) },
  ]),
);

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  })),
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' }] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: '', audience, accessTokenTTL: 300, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  extraTokenClaims: (_ctx, token) => claimsOf.get(token.clientId),
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer, jwksUri: `${issuer}/jwks` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
