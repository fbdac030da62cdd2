/**
 * `npm run erasures:reapply`: after the keystore was restored from a backup, deletes again the keys
 * of every officer whose PersonalDataErased violation-service recorded (docs/privacy.md), each only
 * up to its erasure, so a key made since for a new report naming them stays. Idempotent; prints one
 * line per erasure and a JSON summary last.
 *
 * Environment: DATABASE_URL, violation-service's database (default $CONDUCT_POSTGRES_URL/conduct_violation);
 * KEYSTORE_URL and PERSONAL_DATA_KEY as the services have them (required with NODE_ENV=production).
 */
import { Client } from 'pg';
import { keystoreForTool } from '@conduct/personal-data';
import { reapplyErasures } from './reapply-erasures';

const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const databaseUrl = process.env['DATABASE_URL'] ?? `${server}/conduct_violation`;

async function main(): Promise<void> {
  const events = new Client({ connectionString: databaseUrl });
  await events.connect();
  const keystore = await keystoreForTool(process.env, databaseUrl);
  try {
    const summary = await reapplyErasures(
      (sql) => events.query<{ service_number: string; recorded_at: Date }>(sql).then((result) => result.rows),
      keystore.keys,
      (line) => console.error(line),
    );
    console.log(JSON.stringify(summary));
  } finally {
    await keystore.pool.end();
    await events.end();
  }
}

main().catch((error: unknown) => {
  console.error(`erasures:reapply failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
