import { createHash } from 'node:crypto';
import { DomainError } from '@conduct/decider';
import { canonicalJson } from './canonical-json';

/**
 * Idempotent creates without an extra table (docs/adr/0004-idempotency-keys.md): the new
 * stream's id is derived from the caller and their Idempotency-Key, so a repeated request hits
 * the same stream and its append fails on the expected version 0. The first event's metadata
 * keeps the key and a hash of the request, to tell a true repeat from a reused key.
 */
export function idempotentStreamId(scope: string, subject: string, key: string): string {
  const digest = createHash('sha256').update(`${scope}\u0000${subject}\u0000${key}`).digest();
  // Shape the first 16 bytes as an RFC 4122 name-based UUID (version 8: custom hash).
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The same Idempotency-Key came with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(key: string) {
    super('invalid', 'idempotency.key-reused', `Idempotency-Key "${key}" was already used for a different request`, undefined, 'Idempotency-Key');
    this.name = 'IdempotencyKeyReusedError';
  }
}
