import { createHash } from 'node:crypto';

/**
 * An anchor as a service published it on conduct.anchors.v1 (docs/asyncapi.yaml, ChainAnchor):
 * the Merkle root of every stream head of its store. Declared again, like the hashing below, so
 * that the verifier depends on nothing of the services.
 */
export interface PublishedAnchor {
  service: string;
  store: string;
  anchoredAt: string;
  streams: number;
  root: string;
  [field: string]: unknown;
}

/** Where a stream's head sits in an anchor: the head, its leaf's place, and the audit path to the root. */
export interface HeadInclusion {
  /** The anchor file in the dossier. */
  anchor: string;
  streamVersion: number;
  hash: string;
  leafIndex: number;
  proof: string[];
}

/** The leaf of a stream head: id, version and hash, one per line (UTF-8). */
export const headLeaf = (streamId: string, streamVersion: number, hash: string): string => `${streamId}\n${streamVersion}\n${hash}`;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * Whether the leaf, at `index` of a tree of `size` leaves, leads through `proof` to `root`: RFC
 * 9162, 2.1.3.2, with RFC 6962's hashes (leaf: SHA-256 of 0x00 ‖ data; node: of 0x01 ‖ left ‖ right).
 */
export function leadsToRoot(leaf: string, index: number, size: number, proof: readonly string[], root: string): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size || !Array.isArray(proof)) return false;
  let position = index;
  let lastPosition = size - 1;
  let node = sha256(Buffer.from([0]), Buffer.from(leaf, 'utf8'));
  for (const sibling of proof) {
    if (lastPosition === 0 || typeof sibling !== 'string' || !/^[0-9a-f]{64}$/.test(sibling)) return false;
    const other = Buffer.from(sibling, 'hex');
    if (position % 2 === 1 || position === lastPosition) {
      node = sha256(Buffer.from([1]), other, node);
      while (position % 2 === 0 && position !== 0) {
        position = Math.floor(position / 2);
        lastPosition = Math.floor(lastPosition / 2);
      }
    } else node = sha256(Buffer.from([1]), node, other);
    position = Math.floor(position / 2);
    lastPosition = Math.floor(lastPosition / 2);
  }
  return lastPosition === 0 && node.toString('hex') === root;
}
