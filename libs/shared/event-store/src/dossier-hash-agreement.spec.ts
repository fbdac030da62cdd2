import { canonicalJson as dossierCanonicalJson, envelopeHash, headLeaf, leadsToRoot } from '@conduct/dossier';
import { canonicalJson } from './canonical-json';
import { computeEventHash, GENESIS_HASH } from './hash-chain';
import { inclusionProof, merkleRoot, streamHeadLeaf } from './merkle';

/*
 * conduct-verify hashes with code of its own (libs/dossier), so that a dossier is checked without
 * trusting the code that made it. Both must give the same hash for every event the store can hold.
 */
describe('the dossier verifier and the event store hash alike', () => {
  const datas: unknown[] = [
    { text: 'plain' },
    { nested: { z: 1, a: [true, null, 1.5, -0, 1e21, 0.000001, 'ü😀', '\u2028', '"quoted"\n'] }, empty: {}, list: [] },
    { officer: { name: 'عمران علی', serviceNumber: 'KHI-40172' }, big: 9007199254740991, small: -1e-7 },
    { keys: { b: 1, a: 2, A: 3, é: 4, '10': 5, '9': 6, '\u0000': 7 } },
  ];

  it.each(datas.map((data, index) => [index, data]))('case %i', (_index, data) => {
    const fields = {
      eventId: '00000000-0000-4000-8000-000000000001',
      streamId: 'case-1',
      streamType: 'case',
      streamVersion: 1,
      type: 'ViolationReported',
      schemaVersion: 1,
      data,
      metadata: { actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' }, correlationId: 'corr-1', occurredAt: '2026-03-06T09:00:00.000Z' },
    };
    expect(dossierCanonicalJson(data)).toBe(canonicalJson(data));
    expect(envelopeHash(GENESIS_HASH, fields)).toBe(computeEventHash(GENESIS_HASH, fields));
  });
});

describe("the dossier verifier follows the event store's Merkle proofs", () => {
  it('for every stream head of trees of 1 to 13 heads, and for no other head', () => {
    for (let size = 1; size <= 13; size += 1) {
      const heads = Array.from({ length: size }, (_, index) => ({
        streamId: `stream-${String(index).padStart(2, '0')}`,
        streamVersion: index + 1,
        hash: String(index % 10).repeat(64),
      }));
      const leaves = heads.map(streamHeadLeaf);
      const root = merkleRoot(leaves);
      heads.forEach((head, index) => {
        expect(headLeaf(head.streamId, head.streamVersion, head.hash)).toBe(leaves[index]);
        const proof = inclusionProof(leaves, index);
        expect(leadsToRoot(headLeaf(head.streamId, head.streamVersion, head.hash), index, size, proof, root)).toBe(true);
        expect(leadsToRoot(headLeaf(head.streamId, head.streamVersion + 1, head.hash), index, size, proof, root)).toBe(false);
        if (size > 1) {
          expect(leadsToRoot(leaves[index]!, (index + 1) % size, size, proof, root)).toBe(false);
          const flipped = [`${proof[0]![0] === '0' ? '1' : '0'}${proof[0]!.slice(1)}`, ...proof.slice(1)];
          expect(leadsToRoot(leaves[index]!, index, size, flipped, root)).toBe(false);
          expect(leadsToRoot(leaves[index]!, index, size, proof, merkleRoot(leaves.slice(1)))).toBe(false);
        }
      });
    }
  });
});
