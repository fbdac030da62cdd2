import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_ISSUER, mintToken, TOKEN_AUDIENCE } from './token';
import { Principal } from './principal';

/**
 * The local development issuer: an RSA key pair kept in `.cache/keys/` (CONDUCT_CACHE_DIR, default
 * `.cache` under the working directory), made on first use. `npm run token`, `npm start` and the
 * tests sign with its private key, the services verify with its public key when no identity
 * provider is configured. Production refuses it (see the services' configuration).
 */
export interface LocalIssuer {
  issuer: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** Where the public key lies, PEM: what JWT_PUBLIC_KEY can name. */
  publicKeyFile: string;
}

export function localKeysDir(): string {
  return join(process.env['CONDUCT_CACHE_DIR'] ?? join(process.cwd(), '.cache'), 'keys');
}

let cached: LocalIssuer | undefined;

export function localIssuer(): LocalIssuer {
  if (cached) return cached;
  const dir = localKeysDir();
  const pairFile = join(dir, 'local-issuer.json');
  const publicKeyFile = join(dir, 'local-issuer.public.pem');
  let pair: { privateKeyPem: string; publicKeyPem: string };
  try {
    pair = JSON.parse(readFileSync(pairFile, 'utf8')) as typeof pair;
  } catch {
    pair = createPair(dir, pairFile);
  }
  writeAtomically(publicKeyFile, pair.publicKeyPem);
  cached = { issuer: LOCAL_ISSUER, ...pair, publicKeyFile };
  return cached;
}

/** Whether a public key (PEM) is this machine's local development key; never makes one. */
export function isLocalDevelopmentKey(publicKeyPem: string): boolean {
  try {
    const pair = JSON.parse(readFileSync(join(localKeysDir(), 'local-issuer.json'), 'utf8')) as { publicKeyPem: string };
    return pair.publicKeyPem.trim() === publicKeyPem.trim();
  } catch {
    return false;
  }
}

/** Signs a token for the principal with the local development key. */
export function mintLocalToken(principal: Principal, ttl: string | number = '8h'): string {
  const { privateKeyPem, issuer } = localIssuer();
  return mintToken(principal, { privateKeyPem, issuer, audience: TOKEN_AUDIENCE }, ttl);
}

/** Makes the pair (once per machine: see readOrCreate). */
function createPair(dir: string, pairFile: string): { privateKeyPem: string; publicKeyPem: string } {
  const made = readOrCreate(dir, pairFile, () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return JSON.stringify({
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  });
  return JSON.parse(made) as { privateKeyPem: string; publicKeyPem: string };
}

/**
 * A random key for local development (`bytes` long), kept in `.cache/keys/<name>` and made on first
 * use, like the issuer's pair: what a service uses outside production when its key setting is
 * absent (e.g. the key that seals webhook secrets). Production refuses to start without the setting.
 */
export function localDevelopmentKey(name: string, bytes: number): Buffer {
  const dir = localKeysDir();
  return Buffer.from(
    readOrCreate(dir, join(dir, name), () => randomBytes(bytes).toString('base64')),
    'base64',
  );
}

/**
 * The file's content, made with `make` if there is none yet. Processes starting together (replicas,
 * test workers) must all end up with the same content, so it is written aside and linked into
 * place: the first link wins, the others read it.
 */
function readOrCreate(dir: string, file: string, make: () => string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // made below
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const content = make();
  const aside = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(aside, content, { mode: 0o600 });
  try {
    linkSync(aside, file);
    return content;
  } catch {
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(aside, { force: true });
  }
}

/** Readers never see half a file: written aside, renamed into place (unless it already holds that). */
function writeAtomically(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
  const aside = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(aside, content);
  renameSync(aside, file);
}

/**
 * An Ed25519 private key (PKCS#8 PEM) for local development, kept in `.cache/keys/<name>` and made
 * on first use: what reporting-service signs case dossiers with outside production.
 */
export function localSigningKey(name: string): string {
  const dir = localKeysDir();
  return readOrCreate(dir, join(dir, name), () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}
