import { sign } from 'jsonwebtoken';
import { Principal } from './principal';
import { InvalidTokenError, InvalidTtlError, mintToken, parseTtl, verifyToken } from './token';

const secret = 'a-test-secret-of-some-length';
const approver: Principal = { subject: 'officer-17', roles: ['APPROVER', 'MEDIA_TEAM'], scope: { province: 'Punjab', range: 'Lahore' } };

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidTokenError');
}

const signRaw = (claims: object, options: { secret?: string; expiresIn?: number; issuer?: string; audience?: string } = {}): string =>
  sign(claims, options.secret ?? secret, {
    algorithm: 'HS256',
    issuer: options.issuer ?? 'conduct',
    audience: options.audience ?? 'conduct',
    expiresIn: options.expiresIn ?? 60,
  });

describe('mintToken / verifyToken', () => {
  it('round-trips subject, roles and scope', () => {
    expect(verifyToken(mintToken(approver, secret, '1h'), secret)).toEqual(approver);
  });

  it('round-trips a national scope as an empty object', () => {
    const analyst: Principal = { subject: 'hq-1', roles: ['HQ_ANALYST'], scope: {} };
    expect(verifyToken(mintToken(analyst, secret), secret)).toEqual(analyst);
  });

  it('writes HS256, issuer and audience conduct, and an expiry ttl seconds ahead', () => {
    const token = mintToken(approver, secret, '2h');
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'officer-17', iss: 'conduct', aud: 'conduct', roles: ['APPROVER', 'MEDIA_TEAM'] });
    expect(Number(payload!['exp']) - Number(payload!['iat'])).toBe(7200);
  });

  it('rejects a token signed with another secret', () => {
    expect(reasonOf(() => verifyToken(mintToken(approver, 'another-secret-entirely'), secret))).toBe('invalid');
  });

  it('rejects a tampered payload', () => {
    const [header, , signature] = mintToken(approver, secret).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', roles: ['ADMIN'], scope: {}, iss: 'conduct', aud: 'conduct' })).toString('base64url');
    expect(reasonOf(() => verifyToken(`${header}.${forged}.${signature}`, secret))).toBe('invalid');
  });

  it('rejects an expired token as expired', () => {
    const expired = signRaw({ sub: 'a', roles: ['OFFICER'], scope: {}, iat: Math.floor(Date.now() / 1000) - 120 }, { expiresIn: 60 });
    expect(reasonOf(() => verifyToken(expired, secret))).toBe('expired');
  });

  it('rejects another issuer or audience', () => {
    expect(reasonOf(() => verifyToken(signRaw({ sub: 'a', roles: ['OFFICER'], scope: {} }, { issuer: 'elsewhere' }), secret))).toBe('invalid');
    expect(reasonOf(() => verifyToken(signRaw({ sub: 'a', roles: ['OFFICER'], scope: {} }, { audience: 'elsewhere' }), secret))).toBe('invalid');
  });

  it('rejects the none algorithm', () => {
    const unsigned = sign({ sub: 'a', roles: ['ADMIN'], scope: {} }, '', { algorithm: 'none', issuer: 'conduct', audience: 'conduct' });
    expect(reasonOf(() => verifyToken(unsigned, secret))).toBe('invalid');
  });

  it('rejects garbage', () => {
    expect(reasonOf(() => verifyToken('not.a.token', secret))).toBe('invalid');
  });

  it.each([
    ['no subject', { roles: ['OFFICER'], scope: {} }],
    ['no roles', { sub: 'a', scope: {} }],
    ['empty roles', { sub: 'a', roles: [], scope: {} }],
    ['an unknown role', { sub: 'a', roles: ['OFFICER', 'SUPERUSER'], scope: {} }],
    ['no scope (must not default to national)', { sub: 'a', roles: ['OFFICER'] }],
    ['a non-string scope level', { sub: 'a', roles: ['OFFICER'], scope: { province: 7 } }],
    ['an empty scope level', { sub: 'a', roles: ['OFFICER'], scope: { province: '' } }],
  ])('rejects claims with %s', (_why, claims) => {
    expect(reasonOf(() => verifyToken(signRaw(claims), secret))).toBe('malformed-claims');
  });

  it('gives each failure a problem code', () => {
    try {
      verifyToken(mintToken(approver, 'another-secret-entirely'), secret);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect((error as InvalidTokenError).code).toBe('auth.token-invalid');
    }
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
