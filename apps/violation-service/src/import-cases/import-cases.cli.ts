/**
 * `npm run import:cases -- <file.csv> [--dry-run] [--by <who>]`: brings a force's legacy paper
 * cases in as cases (docs/import.md). Each row becomes a case with its historical dates and the
 * state it had reached, every event marked as imported with the file's SHA-256; the same file
 * imported twice creates nothing new (each row is keyed by its legacy case number). `--dry-run`
 * checks every row and writes nothing. `--by` names who imports (the events' actor; default
 * `import`).
 *
 * Progress and each rejected row (with its reason) go to stderr; the last line of stdout is the
 * report as JSON. Exit code 0 when every row is imported or was before, 1 when some rows were
 * rejected (the others are imported), 2 when the file cannot be read or the database is not there.
 *
 * Environment: DATABASE_URL, violation-service's database (default $CONDUCT_POSTGRES_URL/conduct_violation,
 * the server defaulting to postgres://postgres@127.0.0.1:5432). violation-service's relay publishes the
 * events from there, as it does every event.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { EventStore } from '@conduct/event-store';
import { keystoreForTool } from '@conduct/personal-data';
import { PolicyCatalogue } from '@conduct/policy';
import { importLegacyCases } from './import-legacy-cases';
import { LegacyFileError } from './legacy-case-rows';

const USAGE = 'usage: npm run import:cases -- <file.csv> [--dry-run] [--by <who>]';
const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const databaseUrl = process.env['DATABASE_URL'] ?? `${server}/conduct_violation`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, by: { type: 'string' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, logging: false, extra: { max: 2 } });
  try {
    await dataSource.initialize();
  } catch (error) {
    console.error(`cannot connect to ${databaseUrl.replace(/\/\/[^@/]*@/, '//')}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const [{ events }] = await dataSource.query<[{ events: string | null }]>(`SELECT to_regclass('events')::text AS events`);
    if (events === null) {
      console.error(
        `[import:cases] ${databaseUrl.replace(/\/\/[^@/]*@/, '//')} has no events table: set DATABASE_URL to violation-service's database (migrated when the service first starts)`,
      );
      return 2;
    }
    const dryRun = parsed.values['dry-run'] === true;
    console.error(`[import:cases] ${dryRun ? 'checking (dry run, nothing is written)' : 'importing'} ${file}`);
    const keystore = await keystoreForTool(process.env, databaseUrl);
    const report = await importLegacyCases(text, {
      store: new EventStore(dataSource),
      personalData: keystore.keys,
      catalogue: PolicyCatalogue.builtIn(),
      importedBy: parsed.values.by ?? 'import',
      dryRun,
      now: new Date(),
      progress: (line) => console.error(line),
    }).finally(() => keystore.pool.end());
    for (const row of report.rejected)
      console.error(`[import:cases] row ${row.row}${row.legacyCaseNumber ? ` (${row.legacyCaseNumber})` : ''} rejected: ${row.reason}`);
    const verb = dryRun ? 'would import' : 'imported';
    console.error(
      `[import:cases] ${verb} ${report.imported.length}, already imported ${report.alreadyImported.length}, rejected ${report.rejected.length} of ${report.rows} rows (file sha256 ${report.sourceSha256})`,
    );
    console.log(JSON.stringify(report));
    return report.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof LegacyFileError) {
      console.error(`[import:cases] cannot read ${file}: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(`import:cases failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
