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

/**
 * The audit path of leaf `index` (RFC 6962, 2.1.1): the sibling subtree roots from the leaf up,
 * which with the leaf alone give the root. At most log2(n) hashes, hex. The offline dossier
 * verifier checks them with code of its own (libs/dossier, leadsToRoot).
 */
export function inclusionProof(leaves: readonly (string | Uint8Array)[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`no leaf ${index} among ${leaves.length}`);
  const hashed = leaves.map(leafHash);
  const path: Buffer[] = [];
  const walk = (from: number, to: number, at: number): void => {
    if (to - from === 1) return;
    const split = largestPowerOfTwoBelow(to - from);
    if (at < from + split) {
      walk(from, from + split, at);
      path.push(subtreeRoot(hashed, from + split, to));
    } else {
      walk(from + split, to, at);
      path.push(subtreeRoot(hashed, from, from + split));
    }
  };
  walk(0, hashed.length, index);
  return path.map((hash) => hash.toString('hex'));
}

const largestPowerOfTwoBelow = (count: number): number => {
  let split = 1;
  while (split * 2 < count) split *= 2;
  return split;
};

const nodeHash = (left: Buffer, right: Buffer): Buffer =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();

function subtreeRoot(hashes: readonly Buffer[], from: number, to: number): Buffer {
  const count = to - from;
  if (count === 1) return hashes[from]!;
  const split = largestPowerOfTwoBelow(count);
  return nodeHash(subtreeRoot(hashes, from, from + split), subtreeRoot(hashes, from + split, to));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
