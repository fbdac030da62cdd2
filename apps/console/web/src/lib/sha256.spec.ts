import { createHash } from 'node:crypto';
import { sha256Hex } from './sha256';

describe('the evidence hash computed in the browser', () => {
  it('is the SHA-256 of the file’s bytes, as lower-case hex (what POST /cases expects)', async () => {
    const bytes = new TextEncoder().encode('captured video');
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update('captured video').digest('hex'));
    expect(await sha256Hex(new ArrayBuffer(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
