import { createHash, generateKeyPairSync, sign } from 'node:crypto';
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
const caseStream = chain('case-1', 'case', [
  { caseId: 'case-1', officer: { name: 'Imran Ali', nested: { z: 1, a: [true, null, 1.5, 'ü😀'] } } },
  { text: 'two' },
  { text: 'three' },
]);

/*
 * An anchor of three stream heads, worked out by hand (RFC 6962): the case at version 2 (the
 * anchor came before its third event) between two other streams. Root = node(node(a, case), z);
 * the case's audit path is [a, z].
 */
const sha = (...parts: (Buffer | string)[]): Buffer => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
const leaf = (text: string): Buffer => sha(Buffer.from([0]), text);
const node = (left: Buffer, right: Buffer): Buffer => sha(Buffer.from([1]), left, right);
const [leafA, leafCase, leafZ] = [`a-stream\n4\n${'a'.repeat(64)}`, `case-1\n2\n${caseStream[1]!.hash}`, `z-stream\n1\n${'f'.repeat(64)}`].map(leaf);
const anchor = {
  service: 'violation-service',
  store: '0b6e1a52-8f7c-4d1e-9a3b-2c4d5e6f7a8b',
  anchoredAt: '2026-12-06T09:30:00.000Z',
  snapshot: '1043:1043:',
  streams: 3,
  events: 8,
  root: node(node(leafA!, leafCase!), leafZ!).toString('hex'),
  heads: { full: false, changed: 1, parts: 1 },
};

const input: DossierInput = {
  caseId: 'case-1',
  asOf: '2026-12-06T10:00:00.000Z',
  generatedBy: 'reporting-service',
  policy: { packId: 'sindh', version: 2, text: '{"packId": "sindh", "version": 2}\n' },
  streams: [
    {
      streamId: 'case-1',
      streamType: 'case',
      envelopes: caseStream,
      anchored: { anchor, streamVersion: 2, hash: caseStream[1]!.hash, leafIndex: 1, proof: [leafA!.toString('hex'), leafZ!.toString('hex')] },
    },
    { streamId: 'notice-1', streamType: 'notification', envelopes: chain('notice-1', 'notification', [{ kind: 'takedown-notice' }]) },
  ],
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

  it('verifies intact: every chain, every file, the signature, the anchored head', () => {
    expect(verifyDossier(dossier)).toEqual({
      intact: true,
      caseId: 'case-1',
      keyId: keyIdOf(keys.publicKey),
      streams: 2,
      events: 4,
      anchoredStreams: 1,
      anchored: [
        { streamId: 'case-1', headVersion: 3, anchoredVersion: 2, service: 'violation-service', anchoredAt: anchor.anchoredAt, root: anchor.root },
      ],
      problems: [],
    });
    expect(verifyDossier(dossier, { trustedKeys: [keys.publicKey] }).intact).toBe(true);
  });

  it('holds every envelope exactly as hashed, and a manifest with each head', () => {
    const files = unzipSync(dossier);
    expect(Object.keys(files).sort()).toEqual([
      'README.txt',
      `anchors/violation-service-${anchor.store}.json`,
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
      anchors: [{ service: 'violation-service', store: anchor.store, anchoredAt: anchor.anchoredAt, streams: 3, root: anchor.root }],
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
    `anchors/violation-service-${anchor.store}.json`,
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
    expect(entries).toHaveLength(8);
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

  it.each([
    ["a head that is not the chain's event at its version", { hash: caseStream[2]!.hash }, 'is not the event of its chain'],
    ['a head at another version', { streamVersion: 3, hash: caseStream[2]!.hash }, 'does not lead to the root'],
    ['another place in the tree', { leafIndex: 0 }, 'does not lead to the root'],
    ['a proof with one sibling changed', { proof: [leafZ!.toString('hex'), leafZ!.toString('hex')] }, 'does not lead to the root'],
    ['an anchor with another root', { anchor: { ...anchor, root: 'e'.repeat(64) } }, 'does not lead to the root'],
  ])('says tampered, even signed anew, for %s', (_what, change, fault) => {
    const stream = input.streams[0]!;
    const forged = buildDossier({ ...input, streams: [{ ...stream, anchored: { ...stream.anchored!, ...change } }, input.streams[1]!] });
    expect(verifyDossier(forged, { trustedKeys: [keys.publicKey] })).toMatchObject({
      intact: false,
      anchoredStreams: 0,
      problems: [expect.stringContaining(fault)],
    });
  });

  it.each([
    ['anchors is not a list', (manifest: Record<string, unknown>) => ({ ...manifest, anchors: { file: 'x' } }), 'is not a list'],
    ['an anchor entry is null', (manifest: Record<string, unknown>) => ({ ...manifest, anchors: [null] }), 'names no file'],
    [
      'a stream names an anchor the manifest does not list',
      (manifest: Record<string, unknown>) => ({
        ...manifest,
        streams: (manifest['streams'] as Record<string, unknown>[]).map((stream, index) =>
          index === 0 ? { ...stream, anchored: { ...(stream['anchored'] as object), anchor: 'anchors/other.json' } } : stream,
        ),
      }),
      'not an anchor manifest.json lists',
    ],
  ])('says tampered, not crashed, when %s (signed anew)', (_what, edit, fault) => {
    const files = unzipSync(dossier);
    const manifest = strToU8(`${JSON.stringify(edit(JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, unknown>))}\n`);
    const signature = strToU8(`${sign(null, manifest, keys.privateKey).toString('base64')}\n`);
    const verification = verifyDossier(zipSync({ ...files, 'manifest.json': manifest, 'manifest.sig': signature }), {
      trustedKeys: [keys.publicKey],
    });
    expect(verification).toMatchObject({ intact: false, anchoredStreams: 0 });
    expect(verification.problems).toEqual(expect.arrayContaining([expect.stringContaining(fault)]));
  });

  it('says tampered when an anchor file no longer matches what the manifest lists', () => {
    const files = unzipSync(dossier);
    const path = `anchors/violation-service-${anchor.store}.json`;
    const edited = strToU8(`${JSON.stringify({ ...anchor, streams: 4 }, null, 2)}\n`);
    expect(verifyDossier(zipSync({ ...files, [path]: edited })).problems).toEqual(
      expect.arrayContaining([`${path} does not match its SHA-256 in manifest.json`, `${path} differs from manifest.json in streams`]),
    );
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
