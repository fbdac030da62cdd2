import { createHash } from 'node:crypto';

/**
 * A Merkle tree hash over stream heads, as Certificate Transparency defines one (RFC 6962, 2.1):
 * a leaf is SHA-256(0x00 ‖ data), an inner node SHA-256(0x01 ‖ left ‖ right), and a list of n > 1
 * leaves splits at the largest power of two below n. The prefixes keep a leaf from passing for a
 * node; the split makes every inclusion proof at most log2(n) hashes long. Hex, lower case.
 */
export function merkleRoot(leaves: readonly (string | Uint8Array)[]): string {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  const hashed = leaves.map(leafHash);
  return subtreeRoot(hashed, 0, hashed.length).toString('hex');
}

/** The leaf of a stream head: its id, its version and its hash, one per line. */
export function streamHeadLeaf(head: { streamId: string; streamVersion: number; hash: string }): string {
  return `${head.streamId}\n${head.streamVersion}\n${head.hash}`;
}

/** Text leaves count as their UTF-8 bytes. */
function leafHash(data: string | Uint8Array): Buffer {
  const hash = createHash('sha256').update(Buffer.from([0]));
  return (typeof data === 'string' ? hash.update(data, 'utf8') : hash.update(data)).digest();
}

function subtreeRoot(hashes: readonly Buffer[], from: number, to: number): Buffer {
  const count = to - from;
  if (count === 1) return hashes[from]!;
  let split = 1;
  while (split * 2 < count) split *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(subtreeRoot(hashes, from, from + split))
    .update(subtreeRoot(hashes, from + split, to))
    .digest();
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
