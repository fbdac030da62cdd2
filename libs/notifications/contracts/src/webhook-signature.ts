import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * How a webhook request is signed (docs/webhooks.md, "Verify the signature"). Part of the public
 * contract, like the event classes: notification-service signs with it, receivers (and Conduct's
 * own tests) verify with it. Depends on node:crypto only, so a receiver can copy the file as it is.
 *
 *   Conduct-Webhook-Signature: v1=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * The timestamp is signed with the body so a captured request cannot be replayed later with a
 * fresh timestamp; the receiver rejects timestamps outside its tolerance.
 */

export const WebhookHeaders = {
  id: 'conduct-webhook-id',
  timestamp: 'conduct-webhook-timestamp',
  signature: 'conduct-webhook-signature',
  eventType: 'conduct-event-type',
} as const;

export const SIGNATURE_VERSION = 'v1';

/** Receivers reject requests signed more than this long ago (or this far in the future). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under the subscription's secret. */
export function webhookSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

/** The signature header's value, e.g. `v1=5f0c…`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${webhookSignature(secret, timestamp, body)}`;
}

export interface WebhookToVerify {
  secret: string;
  /** The raw request body exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  /** The Conduct-Webhook-Timestamp header. */
  timestamp: string | undefined;
  /** The Conduct-Webhook-Signature header. */
  signature: string | undefined;
  /** The receiver's clock; defaults to now. */
  now?: Date;
  toleranceSeconds?: number;
}

export type WebhookVerification =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'missing-headers' | 'malformed-timestamp' | 'timestamp-out-of-tolerance' | 'malformed-signature' | 'signature-mismatch' };

/**
 * Checks a received request: both headers present, the timestamp within tolerance of `now`
 * (replay protection), and one of the `v1=` signatures equal to the expected one under a
 * constant-time comparison (no timing oracle on the secret).
 */
export function verifyWebhookSignature(request: WebhookToVerify): WebhookVerification {
  const { secret, timestamp, signature, now = new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = request;
  if (!timestamp || !signature) return { valid: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'malformed-timestamp' };
  const signedAt = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - signedAt) > toleranceSeconds) return { valid: false, reason: 'timestamp-out-of-tolerance' };

  // Several comma-separated signatures may come while a secret is being rotated; one must match.
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION}=`))
    .map((part) => part.slice(SIGNATURE_VERSION.length + 1));
  if (candidates.length === 0 || candidates.some((hex) => !/^[0-9a-f]{64}$/.test(hex))) return { valid: false, reason: 'malformed-signature' };

  const expected = Buffer.from(webhookSignature(secret, signedAt, request.body), 'hex');
  const matches = candidates.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return matches ? { valid: true, timestamp: signedAt } : { valid: false, reason: 'signature-mismatch' };
}
