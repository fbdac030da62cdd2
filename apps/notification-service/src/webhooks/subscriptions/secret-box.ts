import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** How a sealed secret starts; anything else was stored before secrets were sealed. */
const SEALED = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Webhook secrets at rest: AES-256-GCM under WEBHOOK_SECRETS_KEY. The signature needs the secret
 * itself (not a hash), so it is encrypted; a copy of the database or a backup without the key
 * does not let anyone sign events as Conduct. Each sealed secret is bound to its subscription id
 * (the GCM additional data): copied onto another subscription's row it does not open.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`the webhook secrets key must be 32 bytes, got ${key.length}`);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(SEALED);
  }

  seal(secret: string, subscriptionId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
  }

  /** The secret; one stored before sealing (not yet sealed by the start-up pass) as it is. Throws on a wrong key or a tampered value. */
  open(stored: string, subscriptionId: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(SEALED.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
