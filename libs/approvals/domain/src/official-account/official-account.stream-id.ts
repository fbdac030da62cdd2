import { createHash } from 'node:crypto';

export const OFFICIAL_ACCOUNT_STREAM_TYPE = 'official-account';

/** Platform names compare without case or surrounding blanks. */
export const normalisePlatform = (platform: string): string => platform.trim().toLowerCase();

/** Handles compare without case, blanks or a leading `@` (`@SindhPolice` is `sindhpolice`). */
export const normaliseHandle = (handle: string): string => handle.trim().replace(/^@/, '').toLowerCase();

/**
 * The account's stream id, derived from platform and handle so that registering the same account
 * twice lands on the same stream (and is refused there). It is a name-based UUID computed exactly
 * like the event store's idempotentStreamId('official-account', platform, handle), repeated here
 * because the domain may not depend on the event store.
 */
export function officialAccountStreamId(platform: string, handle: string): string {
  const name = `${OFFICIAL_ACCOUNT_STREAM_TYPE}\u0000${normalisePlatform(platform)}\u0000${normaliseHandle(handle)}`;
  const digest = createHash('sha256').update(name).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80; // version 8: custom (hash-based)
  digest[8] = (digest[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
