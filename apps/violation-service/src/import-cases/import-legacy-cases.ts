import { createHash, randomUUID } from 'node:crypto';
import { CASE_STREAM_TYPE, CaseActor } from '@conduct/cases-domain';
import { ConcurrencyError, EventStore, idempotentStreamId, ImportedFrom } from '@conduct/event-store';
import { PersonalDataKeys } from '@conduct/personal-data';
import { NoPolicyInForceError, PolicyCatalogue } from '@conduct/policy';
import { HistoryRefused, legacyCaseHistory } from './legacy-case-history';
import { LegacyCase, readLegacyCases, RejectedRow } from './legacy-case-rows';

/** What an import did, or would do (`dryRun`), row by row. */
export interface ImportReport {
  sourceSha256: string;
  dryRun: boolean;
  rows: number;
  imported: { row: number; legacyCaseNumber: string; caseId: string; events: number }[];
  /** Rows whose legacy case number was imported before: nothing new is created. */
  alreadyImported: { row: number; legacyCaseNumber: string; caseId: string }[];
  rejected: RejectedRow[];
}

export interface ImportOptions {
  store: EventStore;
  catalogue: PolicyCatalogue;
  /** Officers' names are recorded sealed under their keys (ADR 21); a dry run makes no key. */
  personalData: Pick<PersonalDataKeys, 'seal'>;
  /** Who runs the import: the events record them as actor, in the role ADMIN. */
  importedBy: string;
  dryRun: boolean;
  now: Date;
  progress?: (line: string) => void;
}

/**
 * A legacy case's id: the same legacy case number of the same province always gives the same case,
 * so a second import finds it (each province's force numbers its own cases).
 */
export const legacyCaseId = (province: string, legacyCaseNumber: string): string => idempotentStreamId('legacy-case', province, legacyCaseNumber);

/**
 * Imports the legacy cases of a CSV file (docs/import.md): each row becomes a case whose history is
 * run through the case decider at its own dates and appended in one go, or rejected with its
 * reason. Every event carries `metadata.imported` (the file's SHA-256, the row, the legacy case
 * number). A dry run checks everything and writes nothing.
 */
export async function importLegacyCases(text: string, options: ImportOptions): Promise<ImportReport> {
  const sourceSha256 = createHash('sha256').update(text).digest('hex');
  const { cases, rejected } = readLegacyCases(text);
  const report: ImportReport = {
    sourceSha256,
    dryRun: options.dryRun,
    rows: cases.length + rejected.length,
    imported: [],
    alreadyImported: [],
    rejected: [...rejected],
  };
  const importer: CaseActor = { id: options.importedBy, roles: ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'], scope: {} };
  const importedAt = options.now.toISOString();
  for (const legacy of cases) {
    const outcome = await importOne(legacy, { ...options, importer, importedAt, sourceSha256 });
    if ('reason' in outcome) report.rejected.push(outcome);
    else if (outcome.events === 0)
      report.alreadyImported.push({ row: legacy.row, legacyCaseNumber: legacy.legacyCaseNumber, caseId: outcome.caseId });
    else report.imported.push({ row: legacy.row, legacyCaseNumber: legacy.legacyCaseNumber, ...outcome });
    const done = report.imported.length + report.alreadyImported.length + report.rejected.length;
    if (done % 100 === 0) options.progress?.(`[import:cases] ${done} of ${report.rows} rows`);
  }
  report.rejected.sort((a, b) => a.row - b.row);
  return report;
}

async function importOne(
  legacy: LegacyCase,
  options: ImportOptions & { importer: CaseActor; importedAt: string; sourceSha256: string },
): Promise<{ caseId: string; events: number } | RejectedRow> {
  const caseId = legacyCaseId(legacy.jurisdiction.province, legacy.legacyCaseNumber);
  const rejectedBecause = (reason: string): RejectedRow => ({ row: legacy.row, legacyCaseNumber: legacy.legacyCaseNumber, reason });
  if ((await options.store.readStream(caseId, { toVersion: 1 })).length > 0) return { caseId, events: 0 };
  let pack;
  try {
    pack = options.catalogue.versionInForce(legacy.jurisdiction.province, legacy.observedAt);
  } catch (error) {
    if (error instanceof NoPolicyInForceError) return rejectedBecause(`${error.field ?? 'observedAt'}: ${error.message}`);
    throw error;
  }
  const officer = options.dryRun
    ? legacy.officer
    : { ...legacy.officer, name: await options.personalData.seal(legacy.officer.serviceNumber, legacy.officer.name, { renew: true }) };
  let history;
  try {
    history = legacyCaseHistory({ ...legacy, officer }, caseId, pack, options.importer, options.importedAt);
  } catch (error) {
    if (error instanceof HistoryRefused) return rejectedBecause(error.message);
    throw error;
  }
  if (options.dryRun) return { caseId, events: history.length };
  const imported: ImportedFrom = { sourceSha256: options.sourceSha256, row: legacy.row, legacyCaseNumber: legacy.legacyCaseNumber };
  const correlationId = randomUUID();
  const actor = { id: options.importer.id, role: 'ADMIN' };
  try {
    // One append: the case is there with its whole history, or not at all.
    await options.store.append(
      caseId,
      CASE_STREAM_TYPE,
      0,
      history.map(({ event, occurredAt }) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor, correlationId, occurredAt, jurisdiction: legacy.jurisdiction, imported },
      })),
    );
  } catch (error) {
    // Imported meanwhile by another run of the same file.
    if (error instanceof ConcurrencyError) return { caseId, events: 0 };
    throw error;
  }
  return { caseId, events: history.length };
}
