import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { headLeaf, leadsToRoot, type HeadInclusion, type PublishedAnchor } from './anchor-proof';
import { firstChainFault, type ChainFault, type HashedEnvelope } from './envelope-chain';

/**
 * A case dossier: everything a review board needs to check a disciplinary case without trusting
 * the system that produced it, in one zip.
 *   manifest.json     the case, each stream's head, the SHA-256 of every other file
 *   manifest.sig      an Ed25519 signature over manifest.json's bytes (base64)
 *   public-key.pem    the key that signed it (also served at /.well-known/conduct-keys)
 *   streams/…json     every envelope of each stream, exactly as hashed, in version order
 *   policy/…json      the policy pack version that judged the case
 *   anchors/…json     the latest anchor of each store a stream's head is in, as published
 *   README.txt        how to check it
 */
export const DOSSIER_FORMAT = 'conduct-dossier/1';

export interface DossierStream {
  streamId: string;
  streamType: string;
  envelopes: HashedEnvelope[];
  /** The stream's head in the latest anchor of its store, with the proof that it is in it (none: no anchor covers it yet). */
  anchored?: Omit<HeadInclusion, 'anchor'> & { anchor: PublishedAnchor };
}

export interface DossierManifest {
  format: typeof DOSSIER_FORMAT;
  caseId: string;
  /** When the latest event in it was recorded: the dossier of an unchanged record is the same, byte for byte. */
  asOf: string;
  generatedBy: string;
  policy: { packId: string; version: number; file: string };
  streams: {
    streamId: string;
    streamType: string;
    events: number;
    headVersion: number;
    headHash: string;
    file: string;
    /** Its head as of the anchor (at most headVersion) and the Merkle audit path to the anchor's root. */
    anchored?: HeadInclusion;
  }[];
  /** The anchors the streams' heads are proved against (files under anchors/). */
  anchors?: { service: string; store: string; anchoredAt: string; streams: number; root: string; file: string }[];
  /** SHA-256 (hex) of every file but manifest.json and manifest.sig. */
  files: Record<string, string>;
  signature: { algorithm: 'Ed25519'; keyId: string };
}

export interface DossierSigner {
  keyId: string;
  privateKey: KeyObject;
}

export interface DossierInput {
  caseId: string;
  asOf: string;
  generatedBy: string;
  policy: { packId: string; version: number; text: string };
  streams: DossierStream[];
  signer: DossierSigner;
}

const README = `Conduct case dossier (${DOSSIER_FORMAT})

Check it offline, with no access to Conduct:
  conduct-verify dossier.zip                      (in a Conduct checkout: npm run -s verify -- dossier.zip)
  conduct-verify dossier.zip --key conduct.pem    (also require the signing key you trust)

It recomputes every stream's hash chain, each file's SHA-256 against manifest.json, and the
Ed25519 signature over manifest.json; it checks that each stream's anchored head is in its chain
and leads, through its Merkle proof, to the root of the anchor in anchors/ (compare that root with
the one published on conduct.anchors.v1); and prints "intact" or "tampered" with the first fault.
`;

/** The key id of a public key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const fileName = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** Builds the zip. The streams' envelopes go in as given: the caller reads them as they were hashed. */
export function buildDossier(input: DossierInput): Uint8Array {
  const publicKey = createPublicKey(input.signer.privateKey);
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(README),
    'public-key.pem': strToU8(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
  const policyFile = `policy/${fileName(input.policy.packId)}-v${input.policy.version}.json`;
  files[policyFile] = strToU8(input.policy.text);
  const anchors = new Map<string, NonNullable<DossierManifest['anchors']>[number]>();
  const streams = input.streams.map((stream) => {
    const file = `streams/${fileName(stream.streamType)}/${fileName(stream.streamId)}.json`;
    files[file] = strToU8(`${JSON.stringify(stream.envelopes, null, 2)}\n`);
    const head = stream.envelopes[stream.envelopes.length - 1];
    const entry: DossierManifest['streams'][number] = {
      streamId: stream.streamId,
      streamType: stream.streamType,
      events: stream.envelopes.length,
      headVersion: head?.streamVersion ?? 0,
      headHash: head?.hash ?? '',
      file,
    };
    if (stream.anchored) {
      const { anchor, ...inclusion } = stream.anchored;
      const anchorFile = `anchors/${fileName(anchor.service)}-${fileName(anchor.store)}.json`;
      if (!anchors.has(anchorFile)) {
        files[anchorFile] = strToU8(`${JSON.stringify(anchor, null, 2)}\n`);
        const { service, store, anchoredAt, streams: size, root } = anchor;
        anchors.set(anchorFile, { service, store, anchoredAt, streams: size, root, file: anchorFile });
      }
      entry.anchored = { anchor: anchorFile, ...inclusion };
    }
    return entry;
  });
  const manifest: DossierManifest = {
    format: DOSSIER_FORMAT,
    caseId: input.caseId,
    asOf: input.asOf,
    generatedBy: input.generatedBy,
    policy: { packId: input.policy.packId, version: input.policy.version, file: policyFile },
    streams,
    ...(anchors.size > 0 ? { anchors: [...anchors.values()] } : {}),
    files: Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, sha256(bytes)])),
    signature: { algorithm: 'Ed25519', keyId: input.signer.keyId },
  };
  const manifestBytes = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  files['manifest.json'] = manifestBytes;
  files['manifest.sig'] = strToU8(`${sign(null, manifestBytes, input.signer.privateKey).toString('base64')}\n`);
  // Nothing in it depends on when it was asked for: the same record gives the same bytes (and hash).
  const mtime = new Date(input.asOf);
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, [bytes, { mtime, level: 6 }]])));
}

export interface DossierVerification {
  intact: boolean;
  caseId?: string;
  keyId?: string;
  streams: number;
  events: number;
  /** Streams whose head is proved to be in an anchor. */
  anchoredStreams: number;
  /** Each of those: the stream, its last version here, the version anchored, and the anchor (whose root to compare with the published one). */
  anchored: { streamId: string; headVersion: number; anchoredVersion: number; service: string; anchoredAt: string; root: string }[];
  /** Every fault found, the first one first. */
  problems: string[];
  /** The first event whose chain does not hold, when one does not. */
  firstBroken?: ChainFault;
}

/**
 * Checks a dossier on its own: the zip, the signature (by the key it carries, or, given `trustedKeys`,
 * only by one of those), every file's hash, and every stream's chain and head against the manifest.
 */
export function verifyDossier(bytes: Uint8Array, options: { trustedKeys?: KeyObject[] } = {}): DossierVerification {
  const result: DossierVerification = { intact: false, streams: 0, events: 0, anchoredStreams: 0, anchored: [], problems: [] };
  const problem = (text: string): DossierVerification => {
    result.problems.push(text);
    return result;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    return problem(`not a readable zip: ${error instanceof Error ? error.message : String(error)}`);
  }
  const manifestBytes = files['manifest.json'];
  const signatureText = files['manifest.sig'];
  const keyPem = files['public-key.pem'];
  if (!manifestBytes || !signatureText || !keyPem) return problem('manifest.json, manifest.sig or public-key.pem is missing');

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(strFromU8(keyPem));
  } catch {
    return problem('public-key.pem is not a public key');
  }
  result.keyId = keyIdOf(publicKey);
  if (options.trustedKeys && !options.trustedKeys.some((key) => key.equals(publicKey)))
    problem(`signed by key ${result.keyId}, which is not a key you trust`);
  const signature = Buffer.from(strFromU8(signatureText).trim(), 'base64');
  if (!verify(null, manifestBytes, publicKey, signature)) problem('the signature does not match manifest.json');

  let manifest: DossierManifest;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes)) as DossierManifest;
  } catch {
    return problem('manifest.json is not JSON');
  }
  if ((manifest.format as string) !== DOSSIER_FORMAT) return problem(`manifest.json is not ${DOSSIER_FORMAT}`);
  result.caseId = manifest.caseId;
  if (manifest.signature?.keyId !== result.keyId) problem(`manifest.json names key ${manifest.signature?.keyId}, public-key.pem is ${result.keyId}`);

  for (const [path, expected] of Object.entries(manifest.files ?? {})) {
    const file = files[path];
    if (!file) problem(`${path} is missing`);
    else if (sha256(file) !== expected) problem(`${path} does not match its SHA-256 in manifest.json`);
  }
  for (const path of Object.keys(files))
    if (path !== 'manifest.json' && path !== 'manifest.sig' && !(path in (manifest.files ?? {}))) problem(`${path} is not in manifest.json`);
  if (!manifest.files?.[manifest.policy?.file]) problem('the policy pack is not in manifest.json');

  const anchors = readAnchors(manifest, files, problem);

  for (const stream of manifest.streams ?? []) {
    result.streams += 1;
    const file = files[stream.file];
    if (!file) continue; // reported above
    let envelopes: HashedEnvelope[];
    try {
      envelopes = JSON.parse(strFromU8(file)) as HashedEnvelope[];
    } catch {
      problem(`${stream.file} is not JSON`);
      continue;
    }
    result.events += envelopes.length;
    const fault = firstChainFault(stream.streamId, envelopes);
    if (fault) {
      result.firstBroken ??= fault;
      problem(`stream ${stream.streamId} breaks at version ${fault.streamVersion} (event ${fault.eventId}): ${fault.reason}`);
      continue;
    }
    const head = envelopes[envelopes.length - 1];
    if (envelopes.length !== stream.events || head?.streamVersion !== stream.headVersion || head?.hash !== stream.headHash)
      problem(`stream ${stream.streamId} does not end at the head manifest.json names (version ${stream.headVersion})`);
    if (stream.anchored !== undefined) {
      const fault = anchoredHeadFault(stream.streamId, envelopes, stream.anchored, anchors);
      if (fault) problem(fault);
      else {
        const { service, anchoredAt, root } = anchors.get(stream.anchored.anchor)!;
        result.anchoredStreams += 1;
        result.anchored.push({
          streamId: stream.streamId,
          headVersion: stream.headVersion,
          anchoredVersion: stream.anchored.streamVersion,
          service,
          anchoredAt,
          root,
        });
      }
    }
  }
  result.intact = result.problems.length === 0;
  return result;
}

/** The anchors the manifest lists, each read from its file and matching the manifest's account of it. */
function readAnchors(manifest: DossierManifest, files: Record<string, Uint8Array>, problem: (text: string) => unknown): Map<string, PublishedAnchor> {
  const anchors = new Map<string, PublishedAnchor>();
  const listing: unknown = manifest.anchors ?? [];
  if (!Array.isArray(listing)) {
    problem('anchors in manifest.json is not a list');
    return anchors;
  }
  for (const listed of listing as NonNullable<DossierManifest['anchors']>) {
    if (typeof listed !== 'object' || listed === null || typeof listed.file !== 'string') {
      problem('an entry of anchors in manifest.json names no file');
      continue;
    }
    if (anchors.has(listed.file)) problem(`${listed.file} is listed twice in manifest.json`);
    const file = files[listed.file];
    if (!file) continue; // reported with the files
    let anchor: PublishedAnchor;
    try {
      anchor = JSON.parse(strFromU8(file)) as PublishedAnchor;
    } catch {
      problem(`${listed.file} is not JSON`);
      continue;
    }
    const differing = (['service', 'store', 'anchoredAt', 'streams', 'root'] as const).filter((field) => anchor[field] !== listed[field]);
    if (differing.length > 0) problem(`${listed.file} differs from manifest.json in ${differing.join(', ')}`);
    else anchors.set(listed.file, anchor);
  }
  return anchors;
}

/** Why a stream's anchored head does not hold: not in its chain, or not leading to the anchor's root. */
function anchoredHeadFault(
  streamId: string,
  envelopes: readonly HashedEnvelope[],
  anchored: HeadInclusion,
  anchors: ReadonlyMap<string, PublishedAnchor>,
): string | undefined {
  if (typeof anchored !== 'object' || anchored === null) return `stream ${streamId}: its anchored head is not an object`;
  const anchor = typeof anchored.anchor === 'string' ? anchors.get(anchored.anchor) : undefined;
  if (!anchor) return `stream ${streamId} names ${anchored.anchor}, which is not an anchor manifest.json lists`;
  const event = envelopes.find((envelope) => envelope.streamVersion === anchored.streamVersion);
  if (!event || event.hash !== anchored.hash)
    return `stream ${streamId}: the head anchored (version ${anchored.streamVersion}) is not the event of its chain at that version`;
  if (!leadsToRoot(headLeaf(streamId, anchored.streamVersion, anchored.hash), anchored.leafIndex, anchor.streams, anchored.proof, anchor.root))
    return `stream ${streamId}: the Merkle proof of its head does not lead to the root of the anchor of ${anchor.service} (${anchor.anchoredAt})`;
  return undefined;
}
