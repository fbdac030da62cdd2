import { JsonWebTokenError, sign, TokenExpiredError, verify } from 'jsonwebtoken';
import { Scope } from '@conduct/jurisdiction';
import { Principal } from './principal';
import { isRole, Role } from './role';

export const TOKEN_ISSUER = 'conduct';
export const TOKEN_AUDIENCE = 'conduct';
const ALGORITHM = 'HS256';

export type InvalidTokenReason = 'expired' | 'invalid' | 'malformed-claims';

/** A token that must not be trusted; `code` is what the 401 problem carries. */
export class InvalidTokenError extends Error {
  readonly code: string;

  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTokenError';
    this.code = `auth.token-${reason}`;
  }
}

export class InvalidTtlError extends Error {
  constructor(ttl: string | number) {
    super(`Invalid token lifetime "${ttl}": use seconds or a number with s, m, h or d (e.g. 8h)`);
    this.name = 'InvalidTtlError';
  }
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Token lifetime in seconds from `3600`, `'90s'`, `'15m'`, `'8h'` or `'7d'`. */
export function parseTtl(ttl: string | number): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(String(ttl).trim());
  const seconds = match ? Number(match[1]) * (TTL_UNITS[match[2] || 's'] ?? 1) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new InvalidTtlError(ttl);
  return seconds;
}

/** Signs an HS256 token for the principal: `sub`, `roles`, `scope`, issuer and audience `conduct`. */
export function mintToken(principal: Principal, secret: string, ttl: string | number = '8h'): string {
  const claims = { roles: [...principal.roles], scope: { ...principal.scope } };
  return sign(claims, secret, {
    algorithm: ALGORITHM,
    subject: principal.subject,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    expiresIn: parseTtl(ttl),
  });
}

/**
 * Verifies signature, algorithm, issuer, audience and expiry, then the claims' shape: a subject,
 * at least one known role and an explicit scope object (a missing scope must not mean national).
 */
export function verifyToken(token: string, secret: string): Principal {
  let payload: unknown;
  try {
    payload = verify(token, secret, { algorithms: [ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
  } catch (error) {
    if (error instanceof TokenExpiredError) throw new InvalidTokenError('expired', 'The bearer token has expired');
    if (error instanceof JsonWebTokenError) throw new InvalidTokenError('invalid', `The bearer token is invalid: ${error.message}`);
    throw error;
  }
  return principalFromClaims(payload);
}

function principalFromClaims(payload: unknown): Principal {
  if (!isRecord(payload)) throw malformed('the payload is not an object');
  const { sub, roles, scope } = payload;
  if (typeof sub !== 'string' || sub === '') throw malformed('sub must be a non-empty string');
  if (!Array.isArray(roles) || roles.length === 0) throw malformed('roles must be a non-empty array');
  const unknownRoles = roles.filter((role) => !isRole(role));
  if (unknownRoles.length > 0) throw malformed(`unknown roles ${JSON.stringify(unknownRoles)}`);
  return { subject: sub, roles: roles as Role[], scope: scopeFromClaim(scope) };
}

function scopeFromClaim(claim: unknown): Scope {
  if (!isRecord(claim)) throw malformed('scope must be an object ({} for national)');
  const scope: Scope = {};
  for (const level of ['province', 'range', 'district', 'unit'] as const) {
    const value = claim[level];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw malformed(`scope.${level} must be a non-empty string`);
    scope[level] = value;
  }
  return scope;
}

function malformed(why: string): InvalidTokenError {
  return new InvalidTokenError('malformed-claims', `The bearer token's claims are malformed: ${why}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
