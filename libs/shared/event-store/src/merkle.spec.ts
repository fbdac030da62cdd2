import { inclusionProof, merkleRoot, streamHeadLeaf } from './merkle';

/** The test vectors of Certificate Transparency's Merkle tree (RFC 6962): leaves as bytes, and the root of the first n. */
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) =>
  Buffer.from(hex, 'hex'),
);
const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('merkleRoot', () => {
  it.each(roots.map((root, index) => [index + 1, root]))('matches RFC 6962 for the first %i leaves', (count, root) => {
    expect(merkleRoot(leaves.slice(0, count))).toBe(root);
  });

  it('is the hash of nothing for no leaves', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('changes with any head: its hash, its version, or the order of the streams', () => {
    const heads = [
      { streamId: 'case-1', streamVersion: 3, hash: 'a'.repeat(64) },
      { streamId: 'case-2', streamVersion: 1, hash: 'b'.repeat(64) },
    ];
    const root = merkleRoot(heads.map(streamHeadLeaf));
    expect(merkleRoot([{ ...heads[0]!, hash: 'c'.repeat(64) }, heads[1]!].map(streamHeadLeaf))).not.toBe(root);
    expect(merkleRoot([{ ...heads[0]!, streamVersion: 4 }, heads[1]!].map(streamHeadLeaf))).not.toBe(root);
    expect(merkleRoot([heads[1]!, heads[0]!].map(streamHeadLeaf))).not.toBe(root);
    expect(merkleRoot(heads.map(streamHeadLeaf))).toBe(root);
  });
});

describe('inclusionProof (checked against the verifier in dossier-hash-agreement.spec.ts)', () => {
  it("gives RFC 6962's audit path of the first of eight leaves", () => {
    expect(inclusionProof(leaves, 0)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('gives a path of at most log2(n) hashes, each a subtree next to the leaf', () => {
    for (let size = 1; size <= leaves.length; size += 1)
      for (let index = 0; index < size; index += 1)
        expect(inclusionProof(leaves.slice(0, size), index).length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
    // Of four leaves, the last's path is the third leaf, then the root of the first two.
    expect(inclusionProof(leaves.slice(0, 4), 3)).toEqual([merkleRoot(leaves.slice(2, 3)), merkleRoot(leaves.slice(0, 2))]);
  });

  it('refuses a leaf outside the tree', () => {
    expect(() => inclusionProof(leaves, 8)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, -1)).toThrow(RangeError);
  });
});
