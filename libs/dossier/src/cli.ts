/**
 * conduct-verify: checks a case dossier offline (no service, no database, no network).
 *   conduct-verify <dossier.zip> [--key <public-key.pem>]... [--json]
 * --key     require the dossier to be signed by this key (repeatable); without it, the key the
 *           dossier carries is used, and its id printed: compare it with /.well-known/conduct-keys
 * --json    print the whole verification as JSON
 * Prints `intact`, or `tampered` with the first fault; exit 0 only when intact, 1 when not, 2 on a
 * usage error or an unreadable file.
 */
import { readFileSync } from 'node:fs';
import { createPublicKey, KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { verifyDossier, type DossierVerification } from './dossier';

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { key: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return usage();
  }
  const [file, ...rest] = parsed.positionals;
  if (!file || rest.length > 0) return usage();
  let bytes: Uint8Array;
  let trustedKeys: KeyObject[] | undefined;
  try {
    bytes = readFileSync(file);
    trustedKeys = parsed.values.key?.map((path) => createPublicKey(readFileSync(path, 'utf8')));
  } catch (error) {
    console.error(`conduct-verify: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const verification = verifyDossier(bytes, trustedKeys ? { trustedKeys } : {});
  if (parsed.values.json) console.log(JSON.stringify(verification, null, 2));
  else if (verification.intact) {
    console.log(
      `intact: case ${verification.caseId}, ${verification.streams} streams, ${verification.events} events, ${anchoring(verification)}, signed by key ${verification.keyId}`,
    );
    for (const head of verification.anchored)
      console.log(
        `  ${head.streamId}: version ${head.anchoredVersion} of ${head.headVersion} in the anchor of ${head.service} at ${head.anchoredAt}, root ${head.root}`,
      );
  } else {
    const broken = verification.firstBroken;
    console.log(
      broken
        ? `tampered: stream ${broken.streamId}, version ${broken.streamVersion} (event ${broken.eventId}): ${broken.reason}`
        : `tampered: ${verification.problems[0]}`,
    );
    for (const problem of verification.problems) console.error(`  ${problem}`);
  }
  return verification.intact ? 0 : 1;
}

/** "2 heads anchored" (each listed after: compare its root with the one published), or that none is yet. */
function anchoring({ anchoredStreams }: DossierVerification): string {
  if (anchoredStreams === 0) return 'no head anchored yet';
  return `${anchoredStreams} ${anchoredStreams === 1 ? 'head' : 'heads'} anchored`;
}

function usage(): number {
  console.error('usage: conduct-verify <dossier.zip> [--key <public-key.pem>]... [--json]');
  return 2;
}

process.exitCode = main(process.argv.slice(2));
