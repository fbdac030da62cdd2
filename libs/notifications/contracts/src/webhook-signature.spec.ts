import { createHmac } from 'node:crypto';
import { signatureHeader, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const secret = 'whsec_0123456789abcdef0123456789abcdef';
const body = '{"eventId":"5b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10","type":"CaseClosed","data":{"caseId":"c-1"}}';
const signedAt = new Date('2026-11-25T10:00:00.000Z');
const timestamp = Math.floor(signedAt.getTime() / 1000);

const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
  verifyWebhookSignature({ secret, body, timestamp: String(timestamp), signature: signatureHeader(secret, timestamp, body), now: signedAt, ...overrides });

describe('webhook signatures', () => {
  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 under the secret, as docs/webhooks.md tells receivers', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(webhookSignature(secret, timestamp, body)).toBe(expected);
    expect(signatureHeader(secret, timestamp, body)).toBe(`v1=${expected}`);
  });

  it('accepts the request as sent, from a string or the raw bytes, up to five minutes later', () => {
    expect(verify()).toEqual({ valid: true, timestamp });
    expect(verify({ body: Buffer.from(body, 'utf8') })).toEqual({ valid: true, timestamp });
    expect(verify({ now: new Date(signedAt.getTime() + 300_000) })).toMatchObject({ valid: true });
  });

  it('rejects a tampered body, another secret, or a timestamp changed after signing', () => {
    expect(verify({ body: body.replace('CaseClosed', 'CaseReopened') })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ secret: `${secret}x` })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ timestamp: String(timestamp + 1), now: new Date(signedAt.getTime() + 1000) })).toEqual({ valid: false, reason: 'signature-mismatch' });
  });

  it('rejects a replay older than the tolerance, and a timestamp too far in the future', () => {
    expect(verify({ now: new Date(signedAt.getTime() + 301_000) })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });
    expect(verify({ now: new Date(signedAt.getTime() - 301_000) })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });
    expect(verify({ now: new Date(signedAt.getTime() + 61_000), toleranceSeconds: 60 })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });
  });

  it('rejects missing or malformed headers without comparing anything', () => {
    expect(verify({ signature: undefined })).toEqual({ valid: false, reason: 'missing-headers' });
    expect(verify({ timestamp: undefined })).toEqual({ valid: false, reason: 'missing-headers' });
    expect(verify({ timestamp: '1.5e9' })).toEqual({ valid: false, reason: 'malformed-timestamp' });
    expect(verify({ signature: 'v0=abc' })).toEqual({ valid: false, reason: 'malformed-signature' });
    expect(verify({ signature: 'v1=abc' })).toEqual({ valid: false, reason: 'malformed-signature' });
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const old = signatureHeader('an-old-secret-that-was-rotated-away-000', timestamp, body);
    expect(verify({ signature: `${old}, ${signatureHeader(secret, timestamp, body)}` })).toMatchObject({ valid: true });
    expect(verify({ signature: old })).toEqual({ valid: false, reason: 'signature-mismatch' });
  });
});
