import { generateKeyPairSync } from 'node:crypto';
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

/**
 * Makes the pair; processes starting together (replicas, test workers) must all end up with the
 * same one, so it is written aside and linked into place: the first link wins, the others read it.
 */
function createPair(dir: string, pairFile: string): { privateKeyPem: string; publicKeyPem: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pair = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  const aside = `${pairFile}.${process.pid}.${Date.now()}`;
  writeFileSync(aside, JSON.stringify(pair), { mode: 0o600 });
  try {
    linkSync(aside, pairFile);
    return pair;
  } catch {
    return JSON.parse(readFileSync(pairFile, 'utf8')) as typeof pair;
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
