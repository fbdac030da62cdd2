import { createSecretKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { Principal } from './principal';
import { Role } from './role';
import { InvalidTokenError, InvalidTtlError, mintToken, parseTtl, TokenVerifier, VERIFIED_TOKEN_CACHE_MS } from './token';

const ISSUER = 'https://idp.test/realms/police';
const AUDIENCE = 'conduct';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pemOf = (key: KeyObject, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }).toString();
const signer = { privateKeyPem: pemOf(rsa.privateKey, 'pkcs8'), issuer: ISSUER, audience: AUDIENCE };
const approver: Principal = { subject: 'officer-17', roles: ['APPROVER', 'MEDIA_TEAM'], scope: { province: 'Punjab', range: 'Lahore' } };
const now = () => Math.floor(Date.now() / 1000);

const verifierFor = (publicKey: KeyObject, options: { maxTokenAgeSeconds?: number } = {}) =>
  new TokenVerifier({
    publicKeyPem: pemOf(publicKey, 'spki'),
    issuer: ISSUER,
    audience: AUDIENCE,
    maxTokenAgeSeconds: options.maxTokenAgeSeconds ?? 3600,
    clockToleranceSeconds: 5,
  });
const verifier = verifierFor(rsa.publicKey);

async function reasonOf(token: string, using = verifier): Promise<string> {
  try {
    await using.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidTokenError');
}

/** A token as an identity provider might send it: any claims, any key and algorithm. */
const signRaw = (
  claims: JWTPayload,
  options: { key?: KeyObject; alg?: string; issuer?: string; audience?: string; exp?: number | null; iat?: number } = {},
): Promise<string> => {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(options.iat ?? now());
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now() + 60);
  return jwt.sign(options.key ?? rsa.privateKey);
};

describe('mintToken / TokenVerifier', () => {
  it('round-trips subject, roles and scope', async () => {
    expect(await verifier.verify(mintToken(approver, signer, '1h'))).toEqual(approver);
  });

  it('round-trips the service number of a person (the service_number claim), and leaves it out for a system', async () => {
    const officer: Principal = { subject: 'imran.ali', serviceNumber: 'KHI-40172', roles: ['OFFICER'], scope: { province: 'sindh' } };
    const token = mintToken(officer, signer);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: 'imran.ali', service_number: 'KHI-40172' });
    expect(await verifier.verify(token)).toEqual(officer);
    expect(await verifier.verify(await signRaw({ sub: 'dashboard', roles: ['INTEGRATION'], jurisdiction: {} }))).not.toHaveProperty('serviceNumber');
  });

  it('round-trips a national scope as an empty object', async () => {
    const analyst: Principal = { subject: 'hq-1', roles: ['HQ_ANALYST'], scope: {} };
    expect(await verifier.verify(mintToken(analyst, signer))).toEqual(analyst);
  });

  it('writes RS256, issuer, audience, iat and an expiry ttl seconds ahead', () => {
    const token = mintToken(approver, signer, '2h');
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: 'officer-17',
      iss: ISSUER,
      aud: AUDIENCE,
      roles: ['APPROVER', 'MEDIA_TEAM'],
      jurisdiction: { province: 'Punjab', range: 'Lahore' },
    });
    expect(payload).not.toHaveProperty('scope'); // OAuth's own claim: identity providers write it
    expect(Number(payload!['exp']) - Number(payload!['iat'])).toBe(7200);
  });

  it('accepts ES256 from a provider with an EC key', async () => {
    const token = await signRaw({ sub: 'a', roles: ['OFFICER'], jurisdiction: {} }, { key: ec.privateKey, alg: 'ES256' });
    expect(await verifierFor(ec.publicKey).verify(token)).toEqual({ subject: 'a', roles: ['OFFICER'], scope: {} });
  });

  it('rejects a token signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await reasonOf(mintToken(approver, { ...signer, privateKeyPem: pemOf(other.privateKey, 'pkcs8') }))).toBe('invalid');
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = mintToken(approver, signer).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'x', roles: ['ADMIN'], scope: {}, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 60 }),
    ).toString('base64url');
    expect(await reasonOf(`${header}.${forged}.${signature}`)).toBe('invalid');
  });

  it('rejects an expired token, one without exp, and one issued longer ago than the maximum age', async () => {
    expect(await reasonOf(mintToken(approver, { ...signer, now: now() - 600 }, 60))).toBe('expired');
    expect(await reasonOf(await signRaw({ sub: 'a', roles: ['OFFICER'], jurisdiction: {} }, { exp: null }))).toBe('invalid');
    const old = mintToken(approver, { ...signer, now: now() - 7200 }, '1d'); // valid for a day, but 2 h old
    expect(await reasonOf(old, verifierFor(rsa.publicKey, { maxTokenAgeSeconds: 3600 }))).toBe('expired');
    expect(await verifierFor(rsa.publicKey, { maxTokenAgeSeconds: 3 * 3600 }).verify(old)).toEqual(approver);
  });

  it('rejects another issuer or audience', async () => {
    expect(await reasonOf(await signRaw({ sub: 'a', roles: ['OFFICER'], jurisdiction: {} }, { issuer: 'elsewhere' }))).toBe('invalid');
    expect(await reasonOf(await signRaw({ sub: 'a', roles: ['OFFICER'], jurisdiction: {} }, { audience: 'elsewhere' }))).toBe('invalid');
  });

  it('rejects the none algorithm, and HS256 signed with the public key as its secret (algorithm confusion)', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'a', roles: ['ADMIN'], jurisdiction: {} })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1m')
      .encode();
    expect(await reasonOf(unsigned)).toBe('invalid');
    const confused = await signRaw(
      { sub: 'a', roles: ['ADMIN'], jurisdiction: {} },
      { alg: 'HS256', key: createSecretKey(Buffer.from(pemOf(rsa.publicKey, 'spki'))) },
    );
    expect(await reasonOf(confused)).toBe('invalid');
  });

  it('rejects garbage', async () => {
    expect(await reasonOf('not.a.token')).toBe('invalid');
  });

  it.each([
    ['no subject', { roles: ['OFFICER'], jurisdiction: {} }],
    ['no roles', { sub: 'a', jurisdiction: {} }],
    ['empty roles', { sub: 'a', roles: [], jurisdiction: {} }],
    ['an unknown role', { sub: 'a', roles: ['OFFICER', 'SUPERUSER'], jurisdiction: {} }],
    ['no jurisdiction (must not default to national)', { sub: 'a', roles: ['OFFICER'] }],
    ['an OAuth scope string instead of a jurisdiction', { sub: 'a', roles: ['OFFICER'], scope: 'openid profile' }],
    ['a non-string jurisdiction level', { sub: 'a', roles: ['OFFICER'], jurisdiction: { province: 7 } }],
    ['an empty jurisdiction level', { sub: 'a', roles: ['OFFICER'], jurisdiction: { province: '' } }],
    ['a numeric service number', { sub: 'a', roles: ['OFFICER'], jurisdiction: {}, service_number: 40172 }],
    ['a blank service number', { sub: 'a', roles: ['OFFICER'], jurisdiction: {}, service_number: ' ' }],
  ])('rejects claims with %s', async (why, claims) => {
    // A token without `sub` fails the required claims of the signature check itself.
    expect(await reasonOf(await signRaw(claims))).toBe(why === 'no subject' ? 'invalid' : 'malformed-claims');
  });

  it('gives each failure a problem code', async () => {
    const error = await verifier.verify('not.a.token').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).code).toBe('auth.token-invalid');
  });
});

describe('TokenVerifier remembers the tokens it verified', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a token seen before without checking its signature again, with a principal nobody can change', async () => {
    const cached = verifierFor(rsa.publicKey);
    const token = mintToken(approver, signer, '1h');
    const first = await cached.verify(token);
    const check = jest.spyOn(cached as unknown as { verifyJwt: (token: string) => Promise<unknown> }, 'verifyJwt');
    expect(await cached.verify(token)).toBe(first);
    expect(check).not.toHaveBeenCalled();
    expect(() => (first.roles as Role[]).push('ADMIN')).toThrow(TypeError);
    expect(Object.isFrozen(first) && Object.isFrozen(first.scope)).toBe(true);
  });

  it('checks again once the entry is older than the cache allows, and refuses a token past its exp or maximum age', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
    const cached = verifierFor(rsa.publicKey, { maxTokenAgeSeconds: 600 });
    const shortLived = mintToken(approver, signer, 30);
    const longLived = mintToken(approver, signer, '1h');
    await cached.verify(shortLived);
    await cached.verify(longLived);
    const check = jest.spyOn(cached as unknown as { verifyJwt: (token: string) => Promise<unknown> }, 'verifyJwt');

    jest.setSystemTime(Date.now() + 31_000); // past the short token's exp (within the clock tolerance)
    await cached.verify(shortLived); // checked again: the tolerance still admits it
    expect(check).toHaveBeenCalledTimes(1);
    await cached.verify(longLived); // remembered
    expect(check).toHaveBeenCalledTimes(1);

    jest.setSystemTime(Date.now() + VERIFIED_TOKEN_CACHE_MS);
    await cached.verify(longLived); // the entry is too old: checked again
    expect(check).toHaveBeenCalledTimes(2);
    expect(await reasonOf(shortLived, cached)).toBe('expired');

    jest.setSystemTime(Date.now() + 600_000); // past the maximum age of longLived
    expect(await reasonOf(longLived, cached)).toBe('expired');
  });
});

describe('parseTtl', () => {
  it.each([
    ['8h', 28800],
    ['15m', 900],
    ['90s', 90],
    ['7d', 604800],
    ['3600', 3600],
    [120, 120],
  ])('reads %p as %p seconds', (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });

  it.each(['', '0', '-5m', '8 hours', '1.5h', 'h'])('refuses %p', (ttl) => {
    expect(() => parseTtl(ttl)).toThrow(InvalidTtlError);
  });
});
