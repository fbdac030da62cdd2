import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_SNAPSHOTS } from './case-stream';

/**
 * A snapshot holds a CaseState folded by the code of its day. When the state or its evolution
 * changes, snapshots written before the change must be ignored, which only a new
 * CASE_SNAPSHOTS.schemaVersion does. This test notices the change of the files that define them.
 */
const DEFINING_FILES = ['case.state.ts', 'case.events.ts'].map((file) => join(__dirname, '../../../libs/cases/domain/src', file));

/** The fingerprint of the defining files, and the schema version that goes with it. */
const RECORDED = { schemaVersion: 3, fingerprint: 'd8e02fcdccc7ac50' };

describe('case snapshot schema', () => {
  it('has a new schemaVersion whenever CaseState or its events change', () => {
    const hash = createHash('sha256');
    for (const file of DEFINING_FILES) hash.update(readFileSync(file));
    const fingerprint = hash.digest('hex').slice(0, 16);
    const advice =
      'case.state.ts or case.events.ts changed: if the state or how events fold into it changed, bump CASE_SNAPSHOTS.schemaVersion ' +
      `(apps/violation-service/src/case-stream.ts); then record { schemaVersion: ${CASE_SNAPSHOTS.schemaVersion}, fingerprint: '${fingerprint}' } here`;
    expect({ schemaVersion: CASE_SNAPSHOTS.schemaVersion, fingerprint, advice }).toEqual({ ...RECORDED, advice });
  });
});
