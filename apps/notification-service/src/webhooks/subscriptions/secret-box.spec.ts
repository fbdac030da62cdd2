import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = `whsec_${randomBytes(32).toString('base64')}`;

  it('seals a secret so that the stored value does not contain it, and opens it again', () => {
    const sealed = box.seal(secret, 'sub-1');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.seal(secret, 'sub-1')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, 'sub-1')).toBe(secret);
  });

  it('does not open under another key, for another subscription, or once tampered with', () => {
    const sealed = box.seal(secret, 'sub-1');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'sub-1')).toThrow();
    expect(() => box.open(sealed, 'sub-2')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(() => box.open(`v1:${raw.toString('base64')}`, 'sub-1')).toThrow();
  });

  it('opens under a key being rotated out but seals under the current one only, and says what to seal again', () => {
    const oldKey = randomBytes(32);
    const underOld = new SecretBox(oldKey).seal(secret, 'sub-1');
    const rotating = new SecretBox(randomBytes(32), [oldKey]);
    expect(rotating.open(underOld, 'sub-1')).toBe(secret);
    expect(rotating.needsSealing(underOld, 'sub-1')).toBe(true);
    const underNew = rotating.seal(secret, 'sub-1');
    expect(rotating.needsSealing(underNew, 'sub-1')).toBe(false);
    expect(() => new SecretBox(oldKey).open(underNew, 'sub-1')).toThrow();
    expect(rotating.needsSealing(secret, 'sub-1')).toBe(true); // stored in clear
    expect(() => new SecretBox(randomBytes(32), [randomBytes(32)]).open(underOld, 'sub-1')).toThrow();
  });

  it('reads a secret stored before sealing as it is, and refuses a key of the wrong size', () => {
    expect(SecretBox.isSealed(secret)).toBe(false);
    expect(box.open(secret, 'sub-1')).toBe(secret);
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
    expect(() => new SecretBox(randomBytes(32), [randomBytes(16)])).toThrow('32 bytes');
  });
});
