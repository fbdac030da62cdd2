import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyOptions } from 'jose';
import { Scope } from '@conduct/jurisdiction';
import { Principal } from './principal';
import { isRole, Role } from './role';

/** The audience Conduct's services accept unless JWT_AUDIENCE says otherwise. */
export const TOKEN_AUDIENCE = 'conduct';
/** The issuer of the tokens `npm run token` and the tests sign with the local key pair. */
export const LOCAL_ISSUER = 'conduct-local';
/** What an identity provider may sign with: RSA or ECDSA, never a shared secret. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

export type InvalidTokenReason = 'expired' | 'invalid' | 'malformed-claims' | 'unverifiable';

/** A token that must not be trusted; `code` is what the 401 problem carries. */
export class InvalidTokenError extends Error {
  readonly code: string;

  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTokenError';
    this.code = reason === 'unverifiable' ? 'auth.issuer-unreachable' : `auth.token-${reason}`;
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

/** A private key that signs tokens: the local development issuer's, or a test's. */
export interface TokenSigner {
  privateKeyPem: string;
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch to sign as of (tests of expiry and age); default now. */
  now?: number;
}

/**
 * The claim that carries the caller's jurisdiction ({ province, range, district, unit }; {} for
 * national). Not `scope`: in an OAuth access token that is the space-separated list of granted
 * scopes (RFC 9068), which identity providers write themselves.
 */
export const JURISDICTION_CLAIM = 'jurisdiction';
/** The claim that carries a person's police service number (optional: systems have none). */
export const SERVICE_NUMBER_CLAIM = 'service_number';

/**
 * Signs an RS256 token for the principal: `sub`, `roles`, `jurisdiction`, `service_number` when it has one, `iat`, `exp`, issuer and
 * audience. Synchronous (node:crypto), so tests and `npm run token` mint without awaiting; the
 * services verify with jose.
 */
export function mintToken(principal: Principal, signer: TokenSigner, ttl: string | number = '8h'): string {
  const iat = signer.now ?? Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const payload = {
    sub: principal.subject,
    roles: [...principal.roles],
    [JURISDICTION_CLAIM]: { ...principal.scope },
    ...(principal.serviceNumber === undefined ? {} : { [SERVICE_NUMBER_CLAIM]: principal.serviceNumber }),
    iss: signer.issuer ?? LOCAL_ISSUER,
    aud: signer.audience ?? TOKEN_AUDIENCE,
    iat,
    exp: iat + parseTtl(ttl),
  };
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(signer.privateKeyPem)).toString('base64url');
  return `${signingInput}.${signature}`;
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface VerifierOptions {
  /** The identity provider's JWKS endpoint (keys rotate: fetched and cached by kid). */
  jwksUrl?: string;
  /** Or one public key, PEM (SPKI). */
  publicKeyPem?: string;
  issuer: string;
  audience: string;
  /** Oldest `iat` accepted, in seconds: a leaked token is useless after this, whatever its `exp`. */
  maxTokenAgeSeconds: number;
  /** Clock skew tolerated between the issuer and this service, in seconds. */
  clockToleranceSeconds: number;
}

/**
 * Verifies bearer tokens an identity provider signed (RS256 or ES256): signature against its JWKS or
 * public key, issuer, audience, a required `exp` and `iat` no older than the maximum age; then the
 * claims' shape: a subject, at least one known role, an explicit jurisdiction object (a missing
 * one must not mean national) and, when present, a non-empty service number.
 */
export class TokenVerifier {
  /** jwtVerify bound to the key source: a key set fetched by kid, or the one public key. */
  private readonly verifyJwt: (token: string) => Promise<{ payload: JWTPayload }>;
  /**
   * Tokens verified lately, by their text: a caller sends the same token with every request, and
   * checking an RS256 signature cost more CPU than many requests' own work (npm run bench:http).
   * An entry lasts VERIFIED_TOKEN_CACHE_MS at most, never past the token's expiry or maximum age;
   * a key withdrawn from the identity provider's JWKS stops admitting its tokens after that.
   */
  private readonly verified = new Map<string, { principal: Principal; untilMs: number }>();
  private readonly maxTokenAgeSeconds: number;

  constructor(options: VerifierOptions) {
    this.maxTokenAgeSeconds = options.maxTokenAgeSeconds;
    const checks: JWTVerifyOptions = {
      algorithms: ACCEPTED_ALGORITHMS,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: options.maxTokenAgeSeconds,
      clockTolerance: options.clockToleranceSeconds,
    };
    if (options.jwksUrl) {
      const keySet = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
      this.verifyJwt = (token) => jwtVerify(token, keySet, checks);
    } else if (options.publicKeyPem) {
      const key = createPublicKey(options.publicKeyPem);
      this.verifyJwt = (token) => jwtVerify(token, key, checks);
    } else {
      throw new Error('TokenVerifier needs a JWKS URL or a public key');
    }
  }

  async verify(token: string): Promise<Principal> {
    const nowMs = Date.now();
    const cached = this.verified.get(token);
    if (cached && cached.untilMs > nowMs) return cached.principal;
    if (cached) this.verified.delete(token);

    let payload: JWTPayload;
    try {
      payload = (await this.verifyJwt(token)).payload;
    } catch (error) {
      throw asInvalidToken(error);
    }
    const principal = frozen(principalFromClaims(payload));
    // jwtVerify required exp and iat; without clock tolerance, so a cached token expires no later than a checked one.
    const untilMs = Math.min(nowMs + VERIFIED_TOKEN_CACHE_MS, payload.exp! * 1000, (payload.iat! + this.maxTokenAgeSeconds) * 1000);
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, untilMs });
    return principal;
  }
}

/** How long, and for how many tokens, a successful verification is remembered (see TokenVerifier.verified). */
export const VERIFIED_TOKEN_CACHE_MS = 60_000;
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** A principal shared by every request that carries the same token: nobody may change it. */
function frozen(principal: Principal): Principal {
  Object.freeze(principal.roles);
  Object.freeze(principal.scope);
  return Object.freeze(principal);
}

function asInvalidToken(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('expired', 'The bearer token has expired');
  if (error instanceof errors.JWKSTimeout) return new InvalidTokenError('unverifiable', 'The identity provider did not answer for its keys in time');
  if (error instanceof errors.JOSEError) return new InvalidTokenError('invalid', `The bearer token is invalid: ${error.message}`);
  // Fetching the JWKS failed (a system error such as ECONNREFUSED, or a body that is not JSON):
  // nothing says the token is bad. Duck-typed: node's errors may come from another realm.
  const { code, name } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' || name === 'SyntaxError' || name === 'TypeError') {
    return new InvalidTokenError('unverifiable', "The identity provider's keys could not be fetched");
  }
  return error instanceof Error ? error : new Error(String(error));
}

function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, roles, [JURISDICTION_CLAIM]: scope, [SERVICE_NUMBER_CLAIM]: serviceNumber } = payload;
  if (typeof sub !== 'string' || sub === '') throw malformed('sub must be a non-empty string');
  if (!Array.isArray(roles) || roles.length === 0) throw malformed('roles must be a non-empty array');
  const unknownRoles = roles.filter((role) => !isRole(role));
  if (unknownRoles.length > 0) throw malformed(`unknown roles ${JSON.stringify(unknownRoles)}`);
  const principal: Principal = { subject: sub, roles: roles as Role[], scope: scopeFromClaim(scope) };
  if (serviceNumber !== undefined) {
    if (typeof serviceNumber !== 'string' || serviceNumber.trim() === '') throw malformed(`${SERVICE_NUMBER_CLAIM} must be a non-empty string`);
    principal.serviceNumber = serviceNumber;
  }
  return principal;
}

function scopeFromClaim(claim: unknown): Scope {
  if (!isRecord(claim)) throw malformed(`${JURISDICTION_CLAIM} must be an object ({} for national)`);
  const scope: Scope = {};
  for (const level of ['province', 'range', 'district', 'unit'] as const) {
    const value = claim[level];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw malformed(`${JURISDICTION_CLAIM}.${level} must be a non-empty string`);
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
