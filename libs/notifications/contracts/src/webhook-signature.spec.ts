import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signatureHeader, verifyWebhookSignature, WEBHOOK_SECRET_PATTERN, webhookSignature } from './webhook-signature';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const body = '{"eventId":"5b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10","type":"CaseClosed","data":{"caseId":"c-1"}}';
const signedAt = new Date('2026-11-25T10:00:00.000Z');
const timestamp = Math.floor(signedAt.getTime() / 1000);

const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
  verifyWebhookSignature({
    secret,
    body,
    id,
    timestamp: String(timestamp),
    signature: signatureHeader(secret, id, timestamp, body),
    now: signedAt,
    ...overrides,
  });

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs "<id>.<timestamp>.<raw body>" with HMAC-SHA256 under the key the secret encodes, as docs/webhooks.md tells receivers', () => {
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    expect(webhookSignature(secret, id, timestamp, body)).toBe(expected);
    expect(signatureHeader(secret, id, timestamp, body)).toBe(`v1,${expected}`);
  });

  it('verifies with the published standardwebhooks library, which also refuses a changed id', () => {
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader(secret, id, timestamp, body) };
    jest.useFakeTimers({ now: signedAt, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_another' })).toThrow('No matching signature found');
    } finally {
      jest.useRealTimers();
    }
  });

  it('accepts the request as sent, from a string or the raw bytes, up to five minutes later', () => {
    expect(verify()).toEqual({ valid: true, timestamp });
    expect(verify({ body: Buffer.from(body, 'utf8') })).toEqual({ valid: true, timestamp });
    expect(verify({ now: new Date(signedAt.getTime() + 300_000) })).toMatchObject({ valid: true });
  });

  it('rejects a tampered body, another secret, another id, or a timestamp changed after signing', () => {
    expect(verify({ body: body.replace('CaseClosed', 'CaseReopened') })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ id: 'msg_replayed_under_a_new_id' })).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ timestamp: String(timestamp + 1), now: new Date(signedAt.getTime() + 1000) })).toEqual({
      valid: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a replay older than the tolerance, and a timestamp too far in the future', () => {
    expect(verify({ now: new Date(signedAt.getTime() + 301_000) })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });
    expect(verify({ now: new Date(signedAt.getTime() - 301_000) })).toEqual({ valid: false, reason: 'timestamp-out-of-tolerance' });
    expect(verify({ now: new Date(signedAt.getTime() + 61_000), toleranceSeconds: 60 })).toEqual({
      valid: false,
      reason: 'timestamp-out-of-tolerance',
    });
  });

  it('rejects missing or malformed headers without comparing anything', () => {
    expect(verify({ signature: undefined })).toEqual({ valid: false, reason: 'missing-headers' });
    expect(verify({ id: undefined })).toEqual({ valid: false, reason: 'missing-headers' });
    expect(verify({ timestamp: undefined })).toEqual({ valid: false, reason: 'missing-headers' });
    expect(verify({ timestamp: '1.5e9' })).toEqual({ valid: false, reason: 'malformed-timestamp' });
    expect(verify({ signature: 'v0,abc' })).toEqual({ valid: false, reason: 'malformed-signature' });
    expect(verify({ signature: 'v1,abc' })).toEqual({ valid: false, reason: 'malformed-signature' });
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const old = signatureHeader('whsec_b2xkLXNlY3JldC10aGF0LXdhcy1yb3RhdGVkLWF3YXk=', id, timestamp, body);
    expect(verify({ signature: `${old} ${signatureHeader(secret, id, timestamp, body)}` })).toMatchObject({ valid: true });
    expect(verify({ signature: old })).toEqual({ valid: false, reason: 'signature-mismatch' });
  });

  it('describes a secret: whsec_ and base64 of at least 24 bytes', () => {
    expect(WEBHOOK_SECRET_PATTERN.test(secret)).toBe(true);
    expect(WEBHOOK_SECRET_PATTERN.test('whsec_short')).toBe(false);
    expect(WEBHOOK_SECRET_PATTERN.test('e2e-webhook-secret-of-at-least-32-characters')).toBe(false);
  });
});
