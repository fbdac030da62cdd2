import { generateKeyPairSync } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { buildDossier, DossierInput, keyIdOf, verifyDossier } from './dossier';
import { envelopeHash, GENESIS_HASH, HashedEnvelope } from './envelope-chain';

/** A stream hashed as Conduct hashes it (libs/shared/event-store checks that its hashing and this one agree). */
function chain(streamId: string, streamType: string, datas: object[]): HashedEnvelope[] {
  let prevHash = GENESIS_HASH;
  return datas.map((data, index) => {
    const fields = {
      eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      streamId,
      streamType,
      streamVersion: index + 1,
      type: index === 0 ? 'ViolationReported' : 'NoteAdded',
      schemaVersion: 1,
      data,
      metadata: { actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' }, correlationId: 'corr-1', occurredAt: '2026-03-06T09:00:00.000Z' },
    };
    const hash = envelopeHash(prevHash, fields);
    const envelope = { ...fields, prevHash, hash };
    prevHash = hash;
    return envelope;
  });
}

const keys = generateKeyPairSync('ed25519');
const input: DossierInput = {
  caseId: 'case-1',
  asOf: '2026-12-06T10:00:00.000Z',
  generatedBy: 'reporting-service',
  policy: { packId: 'sindh', version: 2, text: '{"packId": "sindh", "version": 2}\n' },
  streams: [
    chain('case-1', 'case', [
      { caseId: 'case-1', officer: { name: 'Imran Ali', nested: { z: 1, a: [true, null, 1.5, 'ü😀'] } } },
      { text: 'two' },
      { text: 'three' },
    ]),
    chain('notice-1', 'notification', [{ kind: 'takedown-notice' }]),
  ].map((envelopes) => ({ streamId: envelopes[0]!.streamId, streamType: envelopes[0]!.streamType, envelopes })),
  signer: { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey },
};

/** The dossier with one byte of one file changed, zipped again: what an editor of its contents sends. */
function withFileByteFlipped(bytes: Uint8Array, path: string): Uint8Array {
  const files = unzipSync(bytes);
  const file = Uint8Array.from(files[path]!);
  // A byte in the middle of the text, kept printable so that JSON may still parse.
  const at = Math.floor(file.length / 2);
  file[at] = file[at] === 0x61 ? 0x62 : 0x61;
  return zipSync({ ...files, [path]: file });
}

describe('case dossier', () => {
  const dossier = buildDossier(input);

  it('verifies intact: every chain, every file, the signature', () => {
    expect(verifyDossier(dossier)).toEqual({
      intact: true,
      caseId: 'case-1',
      keyId: keyIdOf(keys.publicKey),
      streams: 2,
      events: 4,
      problems: [],
    });
    expect(verifyDossier(dossier, { trustedKeys: [keys.publicKey] }).intact).toBe(true);
  });

  it('holds every envelope exactly as hashed, and a manifest with each head', () => {
    const files = unzipSync(dossier);
    expect(Object.keys(files).sort()).toEqual([
      'README.txt',
      'manifest.json',
      'manifest.sig',
      'policy/sindh-v2.json',
      'public-key.pem',
      'streams/case/case-1.json',
      'streams/notification/notice-1.json',
    ]);
    expect(JSON.parse(strFromU8(files['streams/case/case-1.json']!))).toEqual(input.streams[0]!.envelopes);
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toMatchObject({
      format: 'conduct-dossier/1',
      caseId: 'case-1',
      policy: { packId: 'sindh', version: 2, file: 'policy/sindh-v2.json' },
      streams: [
        { streamId: 'case-1', streamType: 'case', events: 3, headVersion: 3, headHash: input.streams[0]!.envelopes[2]!.hash },
        { streamId: 'notice-1', streamType: 'notification', events: 1, headVersion: 1 },
      ],
      signature: { algorithm: 'Ed25519', keyId: keyIdOf(keys.publicKey) },
    });
    // The same input gives the same bytes.
    expect(Buffer.from(buildDossier(input)).equals(Buffer.from(dossier))).toBe(true);
  });

  it.each([
    'manifest.json',
    'manifest.sig',
    'public-key.pem',
    'streams/case/case-1.json',
    'streams/notification/notice-1.json',
    'policy/sindh-v2.json',
    'README.txt',
  ])('says tampered when one byte of %s changes', (path) => {
    const verification = verifyDossier(withFileByteFlipped(dossier, path));
    expect(verification.intact).toBe(false);
    expect(verification.problems.length).toBeGreaterThan(0);
  });

  it('says tampered when a byte of any file changes in place in the zip', () => {
    // Walk the local file headers: each file's compressed bytes follow its header and name.
    const view = Buffer.from(dossier);
    const entries: { name: string; middle: number }[] = [];
    for (let offset = 0; view.readUInt32LE(offset) === 0x04034b50;) {
      const size = view.readUInt32LE(offset + 18);
      const nameLength = view.readUInt16LE(offset + 26);
      const start = offset + 30 + nameLength + view.readUInt16LE(offset + 28);
      entries.push({ name: view.toString('utf8', offset + 30, offset + 30 + nameLength), middle: start + Math.floor(size / 2) });
      offset = start + size;
    }
    expect(entries).toHaveLength(7);
    for (const { name, middle } of entries) {
      const copy = Uint8Array.from(dossier);
      copy[middle] = copy[middle]! ^ 0x01;
      expect({ name, intact: verifyDossier(copy).intact }).toEqual({ name, intact: false });
    }
  });

  it('names the first event whose chain breaks', () => {
    const files = unzipSync(dossier);
    const envelopes = JSON.parse(strFromU8(files['streams/case/case-1.json']!)) as HashedEnvelope[];
    envelopes[1]!.data = { text: 'rewritten' };
    const edited = strToU8(JSON.stringify(envelopes));
    const verification = verifyDossier(zipSync({ ...files, 'streams/case/case-1.json': edited }));
    expect(verification.firstBroken).toEqual({ streamId: 'case-1', streamVersion: 2, eventId: envelopes[1]!.eventId, reason: 'hash-mismatch' });
  });

  it('refuses a dossier signed by a key the reader does not trust', () => {
    const other = generateKeyPairSync('ed25519');
    const forged = buildDossier({ ...input, signer: { keyId: keyIdOf(other.publicKey), privateKey: other.privateKey } });
    expect(verifyDossier(forged).intact).toBe(true);
    expect(verifyDossier(forged, { trustedKeys: [keys.publicKey] })).toMatchObject({
      intact: false,
      problems: [expect.stringContaining('not a key you trust')],
    });
  });
});
