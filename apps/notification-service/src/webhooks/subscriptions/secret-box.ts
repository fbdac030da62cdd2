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
 *
 * Rotation: `extraKeys` open secrets but never seal one (WEBHOOK_SECRETS_EXTRA_KEYS); the start-up
 * pass of WebhookSubscriptions seals again under the current key whatever only an extra key opens.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    private readonly extraKeys: readonly Buffer[] = [],
  ) {
    for (const candidate of [key, ...extraKeys])
      if (candidate.length !== 32) throw new Error(`the webhook secrets key must be 32 bytes, got ${candidate.length}`);
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

  /**
   * The secret, under the current key or an extra one; one stored before sealing (not yet sealed
   * by the start-up pass) as it is. Throws when no key opens it, or it was tampered with.
   */
  open(stored: string, subscriptionId: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    let failure: unknown;
    for (const key of [this.key, ...this.extraKeys]) {
      try {
        return openWith(key, stored, subscriptionId);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  /** Whether the start-up pass should seal it (again): stored in clear, or not under the current key. */
  needsSealing(stored: string, subscriptionId: string): boolean {
    if (!SecretBox.isSealed(stored)) return true;
    try {
      openWith(this.key, stored, subscriptionId);
      return false;
    } catch {
      return true;
    }
  }
}

function openWith(key: Buffer, stored: string, subscriptionId: string): string {
  const raw = Buffer.from(stored.slice(SEALED.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
