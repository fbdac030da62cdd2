import { randomBytes, randomUUID } from 'node:crypto';
import { ERASED, isSealed, openWith, replaceSealed, sealedKeyIds, sealWith } from './sealing';

describe('sealed personal data', () => {
  const key = randomBytes(32);
  const keyId = randomUUID();
  const payloadOf = (token: string): string => token.split(':')[3]!;

  it('seals a value into a token that names its key and opens back to it, a fresh ciphertext each time', () => {
    const token = sealWith(key, keyId, 'Constable Imran Ali');
    expect(token).toMatch(new RegExp(`^pii:v1:${keyId}:[A-Za-z0-9_-]+$`));
    expect(token).not.toContain('Imran');
    expect(openWith(key, keyId, payloadOf(token))).toBe('Constable Imran Ali');
    expect(sealWith(key, keyId, 'Constable Imran Ali')).not.toBe(token);
  });

  it('does not open under another key, another key id, or with a byte changed', () => {
    const token = sealWith(key, keyId, 'imran.ali@sindhpolice.local');
    const payload = payloadOf(token);
    expect(openWith(randomBytes(32), keyId, payload)).toBeUndefined();
    expect(openWith(key, randomUUID(), payload)).toBeUndefined();
    const bytes = Buffer.from(payload, 'base64url');
    bytes[14] = bytes[14]! ^ 1;
    expect(openWith(key, keyId, bytes.toString('base64url'))).toBeUndefined();
    expect(openWith(key, keyId, 'AAAA')).toBeUndefined();
  });

  it('finds tokens anywhere in a value, inside longer texts too, and replaces each', () => {
    const name = sealWith(key, keyId, 'Imran Ali');
    const other = randomUUID();
    const value = {
      officer: { serviceNumber: 'KHI-40172', name },
      notices: [{ subject: `Takedown deadline missed: ${name} (KHI-40172)` }, { subject: 'no one' }],
      count: 3,
      at: null,
      erased: sealWith(randomBytes(32), other, 'Someone Else'),
    };
    expect([...sealedKeyIds(value)].sort()).toEqual([keyId, other].sort());
    expect(isSealed(value.notices[0]!.subject)).toBe(true);
    expect(isSealed('pii:v1:not-a-token')).toBe(false);
    const opened = replaceSealed(value, (id, payload) => (id === keyId ? (openWith(key, id, payload) ?? ERASED) : ERASED));
    expect(opened).toEqual({
      officer: { serviceNumber: 'KHI-40172', name: 'Imran Ali' },
      notices: [{ subject: 'Takedown deadline missed: Imran Ali (KHI-40172)' }, { subject: 'no one' }],
      count: 3,
      at: null,
      erased: ERASED,
    });
    // What holds no token is returned as it is, not copied.
    expect(opened.notices[1]).toBe(value.notices[1]);
    expect(value.officer.name).toBe(name);
  });
});
