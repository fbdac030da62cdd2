import { PersonalDataKeys } from '@conduct/personal-data';

/**
 * Deletes again the keys of every PersonalDataErased recorded in violation-service's events, each
 * only up to its erasure (a key made since, for a new report naming the officer, stays): what a
 * keystore restored from a backup needs before the services open anything (docs/privacy.md).
 */
export async function reapplyErasures(
  query: (sql: string) => Promise<{ service_number: string; recorded_at: Date }[]>,
  keys: Pick<PersonalDataKeys, 'erase'>,
  progress: (line: string) => void = () => undefined,
): Promise<{ erasures: number; keysDeleted: number }> {
  const erasures = await query(
    `SELECT data->>'serviceNumber' AS service_number, recorded_at FROM events WHERE type = 'PersonalDataErased' ORDER BY recorded_at`,
  );
  let keysDeleted = 0;
  for (const { service_number: person, recorded_at: erasedAt } of erasures) {
    const { keys: deleted } = await keys.erase(person, erasedAt);
    keysDeleted += deleted;
    progress(`[erasures] ${person} (erased ${erasedAt.toISOString()}): ${deleted} key(s) deleted again`);
  }
  return { erasures: erasures.length, keysDeleted };
}
