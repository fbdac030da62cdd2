import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * How a webhook request is signed: the Standard Webhooks scheme (https://www.standardwebhooks.com),
 * so a receiver can verify with any of its published libraries (docs/webhooks.md, "Verify the
 * signature"). Part of the public contract, like the event classes: notification-service signs with
 * it, receivers (and Conduct's own tests) verify with it. Depends on node:crypto only.
 *
 *   webhook-id:        the delivery id (one per subscription and event; receivers dedupe on it)
 *   webhook-timestamp: Unix seconds of this attempt
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>
 *
 * The key is the secret's base64 part after `whsec_`. The id and the timestamp are signed with the
 * body: a captured request cannot be replayed later with a fresh timestamp, nor under another id
 * to get past the receiver's dedupe.
 */

export const WebhookHeaders = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  eventType: 'conduct-event-type',
} as const;

export const SIGNATURE_VERSION = 'v1';

/** A subscription secret: `whsec_` and the base64 of at least 24 random bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** Receivers reject requests signed more than this long ago (or this far in the future). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The HMAC key a secret stands for: the bytes its base64 part (after `whsec_`) encodes. */
function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under the subscription's secret. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

/** The signature header's value, e.g. `v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=`. */
export function signatureHeader(secret: string, id: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION},${webhookSignature(secret, id, timestamp, body)}`;
}

export interface WebhookToVerify {
  secret: string;
  /** The raw request body exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  /** The webhook-id header. */
  id: string | undefined;
  /** The webhook-timestamp header. */
  timestamp: string | undefined;
  /** The webhook-signature header. */
  signature: string | undefined;
  /** The receiver's clock; defaults to now. */
  now?: Date;
  toleranceSeconds?: number;
}

export type WebhookVerification =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'missing-headers' | 'malformed-timestamp' | 'timestamp-out-of-tolerance' | 'malformed-signature' | 'signature-mismatch' };

/**
 * Checks a received request: the three headers present, the timestamp within tolerance of `now`
 * (replay protection), and one of the `v1,` signatures equal to the expected one under a
 * constant-time comparison (no timing oracle on the secret).
 */
export function verifyWebhookSignature(request: WebhookToVerify): WebhookVerification {
  const { secret, id, timestamp, signature, now = new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = request;
  if (!id || !timestamp || !signature) return { valid: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'malformed-timestamp' };
  const signedAt = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - signedAt) > toleranceSeconds) return { valid: false, reason: 'timestamp-out-of-tolerance' };

  // Several space-separated signatures may come while a secret is being rotated; one must match.
  const candidates = signature
    .split(' ')
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION},`))
    .map((part) => part.slice(SIGNATURE_VERSION.length + 1));
  if (candidates.length === 0 || candidates.some((base64) => !/^[A-Za-z0-9+/]{43}=$/.test(base64)))
    return { valid: false, reason: 'malformed-signature' };

  const expected = Buffer.from(webhookSignature(secret, id, signedAt, request.body), 'base64');
  const matches = candidates.some((base64) => timingSafeEqual(Buffer.from(base64, 'base64'), expected));
  return matches ? { valid: true, timestamp: signedAt } : { valid: false, reason: 'signature-mismatch' };
}
