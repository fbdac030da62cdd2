import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Personal data in a stored event is a sealed token in place of the plain value:
 * `pii:v1:<keyId>:<base64url of iv (12 bytes) | AES-256-GCM ciphertext | tag (16 bytes)>`.
 * The token is what the event's hash covers; deleting the key (keyId names it in the keystore)
 * makes the value unreadable for good while every chain still verifies (ADR 21). A token is
 * self-delimiting, so it may sit inside a longer text, e.g. a mail subject naming the officer.
 */
const TOKEN_PREFIX = 'pii:v1:';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** 12 + 16 bytes at least: 38 base64url characters. */
export const SEALED_TOKEN = new RegExp(`${TOKEN_PREFIX}(${UUID}):([A-Za-z0-9_-]{38,})`, 'g');

/** What a reader sees where a value's key was deleted (erasure or retention). */
export const ERASED = '[erased]';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** Encrypts `plaintext` under `key`; the key id is bound in as associated data, so a token cannot be moved to another key. */
export function sealWith(key: Buffer, keyId: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${TOKEN_PREFIX}${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The plaintext of one token's payload, or undefined when it does not decrypt under `key` (altered, or another key). */
export function openWith(key: Buffer, keyId: string, payload: string): string | undefined {
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** True when `text` holds at least one sealed token. */
export function isSealed(text: string): boolean {
  return text.includes(TOKEN_PREFIX) && new RegExp(SEALED_TOKEN.source).test(text);
}

/** Plain JSON objects: what answers, rows and messages are made of (not Dates, buffers or class instances). */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** The key ids of every token anywhere in `value` (strings, arrays and plain objects, however nested): what replaceSealed replaces. */
export function sealedKeyIds(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.includes(TOKEN_PREFIX)) for (const match of value.matchAll(SEALED_TOKEN)) into.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) sealedKeyIds(item, into);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) sealedKeyIds(item, into);
  }
  return into;
}

/**
 * A copy of `value` with every token replaced by `open(keyId, payload)` (the plain value, or
 * ERASED). Objects and arrays without a token are returned as they are.
 */
export function replaceSealed<T>(value: T, open: (keyId: string, payload: string) => string): T {
  if (typeof value === 'string') {
    return (value.includes(TOKEN_PREFIX) ? value.replace(SEALED_TOKEN, (_, keyId: string, payload: string) => open(keyId, payload)) : value) as T;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const copy = value.map((item: unknown) => {
      const replaced = replaceSealed(item, open);
      changed ||= replaced !== item;
      return replaced;
    });
    return (changed ? copy : value) as T;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const replaced = replaceSealed(item, open);
      changed ||= replaced !== item;
      copy[key] = replaced;
    }
    return (changed ? copy : value) as T;
  }
  return value;
}
