import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeEventHash, GENESIS_HASH } from './hash-chain';

/*
 * The README shows readers how to check a case's hash chain themselves (step 6 of "Investigating a
 * case"): a few lines of Node.js over the answer of GET /cases/:id/events, written apart from this
 * library. Run here as written, on a trail hashed by the library, they must agree with it: intact
 * as recorded, tampered at the first event edited or removed.
 */

const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
const script = /\| node -e '\n([\s\S]*?)'\n```/.exec(readme)?.[1];

function runCheck(trail: unknown): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script!], (error, stdout) => {
      if (error && typeof error.code !== 'number') reject(new Error(`could not run the README's check: ${error.message}`));
      else resolve({ code: error ? Number(error.code) : 0, stdout: stdout.trim() });
    });
    child.stdin!.end(JSON.stringify(trail));
  });
}

/** A trail as GET /cases/:id/events answers it: the hashed fields, the chain, and what readers look at first. */
function trail() {
  const streamId = randomUUID();
  let prevHash = GENESIS_HASH;
  const events = [
    { type: 'ViolationReported', data: { caseId: streamId, officer: { name: 'Imran "Kami" Ali', serviceNumber: 'KHI-40172' }, clauses: ['SND-1'] } },
    { type: 'NoteAdded', data: { caseId: streamId, text: 'Sindhi: سندھ, emoji: ✓, line\nbreak', weight: 1.5 } },
    { type: 'CaseClosed', data: { caseId: streamId, reasons: ['Sanction served'], closedAt: '2026-11-30T10:00:00.000Z' } },
  ].map((event, index) => {
    const fields = {
      eventId: randomUUID(),
      streamId,
      streamType: 'case',
      streamVersion: index + 1,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: { actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' }, correlationId: randomUUID(), occurredAt: '2026-11-30T09:00:00.000Z' },
    };
    const hash = computeEventHash(prevHash, fields);
    const entry = { ...fields, version: fields.streamVersion, actor: fields.metadata.actor, recordedAt: '2026-11-30T09:00:00.001Z', prevHash, hash };
    prevHash = hash;
    return entry;
  });
  return { caseId: streamId, version: events.length, events };
}

it('finds the check in the README', () => {
  expect(script).toContain('createHash("sha256")');
});

it('says intact, with the head hash, for a trail as recorded', async () => {
  const recorded = trail();
  expect(await runCheck(recorded)).toEqual({ code: 0, stdout: `chain intact, head ${recorded.events.at(-1)!.hash}` });
});

it('says tampered at the first event whose data was edited, and exits 1', async () => {
  const edited = trail();
  (edited.events[1]!.data as { text: string }).text = 'a different note';
  expect(await runCheck(edited)).toEqual({ code: 1, stdout: 'tampered at version 2' });
});

it('says tampered where an event was removed from the middle', async () => {
  const cut = trail();
  cut.events.splice(1, 1);
  expect(await runCheck(cut)).toEqual({ code: 1, stdout: 'tampered at version 3' });
});
