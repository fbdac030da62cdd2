import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ERASED, KEY_BYTES, openWith, replaceSealed, sealedKeyIds, sealWith } from './sealing';

export interface KeystoreOptions {
  /** The keystore's database, apart from every service's events (KEYSTORE_URL). */
  pool: Pool;
  /** Wraps every person's key at rest (PERSONAL_DATA_KEY): a copy of the keystore's tables alone opens nothing. */
  masterKey: Buffer;
  /** How long a key read from the keystore is used without asking again: an erasure reaches other processes within it. */
  cacheMs: number;
  now?: () => number;
  /** Told of a key the master key does not unwrap (a misconfigured PERSONAL_DATA_KEY): its values read `[erased]`. */
  onUnreadableKey?: (keyId: string) => void;
}

/** Keys (or their absence) held in memory at most. */
const MAX_CACHED_KEYS = 10_000;

interface CachedKey {
  /** Undefined: the key was deleted (or never existed here). */
  key: Buffer | undefined;
  until: number;
}

/** What an erasure did to the keystore. */
export interface KeysErased {
  person: string;
  /** How many keys were deleted (0: the person had none left). */
  keys: number;
}

/**
 * Per-person keys for personal data (crypto-shredding, ADR 21). A person (an officer, by service
 * number) has one live key; `seal` encrypts a value under it, creating it on first use; `open`
 * puts the plain values back into anything holding tokens, or `[erased]` where the key is gone;
 * `erase` deletes the person's keys. Keys are wrapped with the master key before they are stored.
 */
export class PersonalDataKeys {
  private readonly cache = new Map<string, CachedKey>();
  private readonly live = new Map<string, { keyId: string; key: Buffer; until: number }>();
  private readonly now: () => number;

  constructor(private readonly options: KeystoreOptions) {
    if (options.masterKey.length !== KEY_BYTES) throw new Error(`the personal-data master key must be ${KEY_BYTES} bytes`);
    this.now = options.now ?? Date.now;
  }

  /**
   * `plaintext` sealed under `person`'s key, made on first use. A person whose data was erased gets
   * a new key only when `renew` says this is a new record naming them (a new report); otherwise
   * the value is not kept at all (`[erased]`): a late notice must not bring erased data back.
   */
  async seal(person: string, plaintext: string, options: { renew?: boolean } = {}): Promise<string> {
    const live = await this.liveKey(person, options.renew === true);
    return live ? sealWith(live.key, live.keyId, plaintext) : ERASED;
  }

  /**
   * A copy of `value` with every sealed token opened: the plain value, or `[erased]`. `escape`
   * applies to what replaces a token (HTML: a name is text, never markup).
   */
  async open<T>(value: T, options: { escape?: (text: string) => string } = {}): Promise<T> {
    const keyIds = sealedKeyIds(value);
    if (keyIds.size === 0) return value;
    const keys = await this.keys(keyIds);
    const escape = options.escape ?? ((text: string) => text);
    return replaceSealed(value, (keyId, payload) => {
      const key = keys.get(keyId);
      return escape((key && openWith(key, keyId, payload)) ?? ERASED);
    });
  }

  /**
   * Deletes every key of `person` (made before `createdBefore`, when given: an erasure read again
   * later leaves a key made since, for the person named anew, alone): what was sealed under them
   * reads `[erased]` from now on, everywhere.
   */
  async erase(person: string, createdBefore?: Date): Promise<KeysErased> {
    const rows = await this.options.pool.query<{ key_id: string }>(
      `UPDATE person_keys SET wrapped_key = NULL, erased_at = now()
        WHERE person = $1 AND erased_at IS NULL AND ($2::timestamptz IS NULL OR created_at <= $2)
        RETURNING key_id`,
      [person, createdBefore ?? null],
    );
    this.live.delete(person);
    for (const { key_id } of rows.rows) this.cache.set(key_id, { key: undefined, until: Number.POSITIVE_INFINITY });
    return { person, keys: rows.rowCount ?? 0 };
  }

  private async liveKey(person: string, renew: boolean): Promise<{ keyId: string; key: Buffer } | undefined> {
    const cached = this.live.get(person);
    if (cached && cached.until > this.now()) return cached;
    const pool = this.options.pool;
    const select = () =>
      pool.query<{ key_id: string; wrapped_key: Buffer }>(`SELECT key_id, wrapped_key FROM person_keys WHERE person = $1 AND erased_at IS NULL`, [
        person,
      ]);
    let [row] = (await select()).rows;
    if (!row) {
      if (!renew && (await pool.query(`SELECT 1 FROM person_keys WHERE person = $1 AND erased_at IS NOT NULL LIMIT 1`, [person])).rowCount) {
        return undefined;
      }
      const wrapped = this.wrap(randomBytes(KEY_BYTES), randomUUID());
      // One live key per person (a partial unique index): a concurrent first seal keeps the other's key.
      await pool.query(
        `INSERT INTO person_keys (key_id, person, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (person) WHERE erased_at IS NULL DO NOTHING`,
        [wrapped.keyId, person, wrapped.bytes],
      );
      [row] = (await select()).rows;
      if (!row) return undefined; // erased at this very moment
    }
    const entry = { keyId: row.key_id, key: this.unwrap(row.wrapped_key, row.key_id), until: this.now() + this.options.cacheMs };
    this.live.set(person, entry);
    return entry;
  }

  private async keys(keyIds: Set<string>): Promise<Map<string, Buffer | undefined>> {
    const found = new Map<string, Buffer | undefined>();
    const missing: string[] = [];
    for (const keyId of keyIds) {
      const cached = this.cache.get(keyId);
      if (cached && cached.until > this.now()) found.set(keyId, cached.key);
      else missing.push(keyId);
    }
    if (missing.length === 0) return found;
    const { rows } = await this.options.pool.query<{ key_id: string; wrapped_key: Buffer | null }>(
      `SELECT key_id::text, wrapped_key FROM person_keys WHERE key_id = ANY($1::uuid[])`,
      [missing],
    );
    const until = this.now() + this.options.cacheMs;
    const byId = new Map(rows.map((row) => [row.key_id, row.wrapped_key]));
    // Bounded: ids that name no key (made up, or long erased) must not grow it for good.
    if (this.cache.size + missing.length > MAX_CACHED_KEYS) this.cache.clear();
    for (const keyId of missing) {
      const wrapped = byId.get(keyId);
      const key = wrapped ? this.unwrapOrNothing(wrapped, keyId) : undefined;
      this.cache.set(keyId, { key, until });
      found.set(keyId, key);
    }
    return found;
  }

  private wrap(key: Buffer, keyId: string): { keyId: string; bytes: Buffer } {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.options.masterKey, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    return { keyId, bytes: Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]) };
  }

  /**
   * A key that does not unwrap under the master key (it was made under another PERSONAL_DATA_KEY)
   * opens nothing: its values read `[erased]`, and the mismatch is counted and reported once.
   */
  private unwrapOrNothing(bytes: Buffer, keyId: string): Buffer | undefined {
    try {
      return this.unwrap(bytes, keyId);
    } catch {
      this.options.onUnreadableKey?.(keyId);
      return undefined;
    }
  }

  private unwrap(bytes: Buffer, keyId: string): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.options.masterKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  }
}
