import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { CurrentPrincipal, mintLocalToken, Principal, Role, Roles } from '@conduct/auth';
import { OidcProvider, startOidcProvider } from '@conduct/testing';
import { createServiceApp, ServiceApp } from '../bootstrap';
import { ServiceRuntimeModule } from '../service-runtime.module';

jest.setTimeout(60_000);

@Controller('reports')
class ReportsController {
  @Get()
  @Roles(Role.HQ_ANALYST)
  read(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}

/** A service wired as the real ones are, in production mode, trusting the provider's JWKS and issuer. */
async function serviceTrusting(provider: { issuer: string; jwksUri: string }): Promise<ServiceApp> {
  const env = {
    NODE_ENV: 'production',
    PORT: '3999',
    DATABASE_URL: 'postgres://unused/unused',
    KAFKA_BROKERS: '127.0.0.1:9092',
    JWT_JWKS_URL: provider.jwksUri,
    JWT_ISSUER: provider.issuer,
    KEYSTORE_URL: 'postgres://unused/unused',
    PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'silent',
  };
  @Module({ imports: [ServiceRuntimeModule.forRoot({ name: 'idp-spec-service', env })], controllers: [ReportsController] })
  class IdpSpecModule {}
  return createServiceApp(IdpSpecModule, { name: 'idp-spec-service' });
}

/*
 * Tokens from a real OpenID provider (the OpenID-certified oidc-provider package, started here):
 * a service verifies them against the provider's JWKS, issuer and audience, and nothing else.
 */
describe('tokens from the identity provider', () => {
  let provider: OidcProvider;
  let app: ServiceApp;

  beforeAll(async () => {
    provider = await startOidcProvider([
      { clientId: 'hq-analyst-1', roles: ['HQ_ANALYST'], jurisdiction: { province: 'punjab' } },
      { clientId: 'media-cell', roles: ['MEDIA_TEAM'], jurisdiction: { province: 'sindh' } },
      { clientId: 'ssp-lahore', roles: ['HQ_ANALYST'], jurisdiction: { province: 'punjab' }, serviceNumber: 'LHR-1001' },
    ]);
    app = await serviceTrusting(provider);
  });
  afterAll(async () => {
    await app?.close();
    await provider?.stop();
  });

  const get = (token: string) => request(app.getHttpServer()).get('/reports').set('Authorization', `Bearer ${token}`);

  it("accepts the provider's access token, with the roles and scope it carries", async () => {
    const token = await provider.token('hq-analyst-1');
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: 'test-key-1' });
    const response = await get(token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ subject: 'hq-analyst-1', roles: ['HQ_ANALYST'], scope: { province: 'punjab' } });
  });

  it("reads a person's service number from the provider's service_number claim", async () => {
    const response = await get(await provider.token('ssp-lahore'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ subject: 'ssp-lahore', serviceNumber: 'LHR-1001', roles: ['HQ_ANALYST'], scope: { province: 'punjab' } });
  });

  it('answers 403 to a provider token without the role the route needs', async () => {
    const response = await get(await provider.token('media-cell'));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'auth.role-required' });
  });

  it('answers 401 to a token of the local development issuer, and to a provider token with a byte changed', async () => {
    const local = await get(mintLocalToken({ subject: 'hq-analyst-1', roles: [Role.HQ_ANALYST], scope: {} }));
    expect(local.status).toBe(401);
    expect(local.body).toMatchObject({ code: 'auth.token-invalid' });
    const token = await provider.token('hq-analyst-1');
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['ADMIN'] })).toString(
      'base64url',
    );
    expect((await get(`${header}.${forgedPayload}.${signature}`)).status).toBe(401);
  });

  it('answers 503 when the provider cannot be reached for its keys: the token may be good', async () => {
    const token = await provider.token('hq-analyst-1');
    const unreachable = await serviceTrusting({ issuer: provider.issuer, jwksUri: 'http://127.0.0.1:9/jwks' });
    try {
      const response = await request(unreachable.getHttpServer()).get('/reports').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'auth.issuer-unreachable' });
    } finally {
      await unreachable.close();
    }
  });
});
