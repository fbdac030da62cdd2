/**
 * Append throughput: EventStore.append (one INSERT … SELECT that hashes in SQL, a named prepared
 * statement) against a plain single-row INSERT into an equivalent table without hashes, same
 * concurrency, same payloads, same run. The sides alternate in short rounds so that load from
 * anything else on the machine, and the database's own checkpoints, weigh on both alike.
 *
 *   npm run bench:append
 *
 * Env: CONDUCT_POSTGRES_URL (server, default postgres://postgres@127.0.0.1:5432), BENCH_WRITERS (16),
 * BENCH_POOL_SIZE (= writers), BENCH_WARMUP_MS (5000 per side, excluded), BENCH_ROUND_MS (1000),
 * BENCH_ROUNDS (10 per side), BENCH_EXTRA=1 adds the unprepared variants to the table (not to the JSON).
 * Creates and drops its own database. The last line of output is one JSON object.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { EventStore, eventStoreMigrations, pgPoolOf, type EventMetadata, type NewEvent } from '@conduct/event-store';
import { numberFromEnv, onServer, percentile } from './bench-support';

const serverUrl = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const writers = numberFromEnv('BENCH_WRITERS', 16);
const poolSize = numberFromEnv('BENCH_POOL_SIZE', writers);
const warmupMs = numberFromEnv('BENCH_WARMUP_MS', 5_000);
const roundMs = numberFromEnv('BENCH_ROUND_MS', 1_000);
const rounds = numberFromEnv('BENCH_ROUNDS', 10);
const extraVariants = process.env['BENCH_EXTRA'] === '1';
/** Each writer appends successive versions to its own stream and starts a new one after this many. */
const streamLength = 100;

// ---- payloads: ~1 KB per event (canonical JSON of the whole event), precomputed --------------

const metadata: EventMetadata = {
  actor: { id: 'officer-0042', role: 'IA_INVESTIGATOR', unitId: 'unit-lahore-07' },
  correlationId: randomUUID(),
  occurredAt: '2025-03-03T10:00:00.000Z',
  jurisdiction: { province: 'Punjab', range: 'Lahore', district: 'Lahore', unitId: 'unit-lahore-07' },
};

const payloads = Array.from({ length: 512 }, (_, i) => ({
  url: `https://social.example.org/posts/${randomBytes(8).toString('hex')}`,
  platform: ['X', 'Facebook', 'Instagram', 'TikTok'][i % 4],
  accountHandle: `@official_${i}`,
  summary: randomBytes(260).toString('base64'),
  policyClauses: ['SND-1', 'SND-2', 'SND-5'],
  reportedBy: { id: `officer-${i}`, unitId: 'unit-lahore-07' },
  evidence: [{ kind: 'screenshot', sha256: randomBytes(32).toString('hex') }],
  severity: i % 3,
}));

function nextEvent(sequence: number): NewEvent {
  return { eventId: randomUUID(), type: 'ViolationReported', data: payloads[sequence % payloads.length]!, metadata };
}

// ---- the two ways of writing ------------------------------------------------------------

interface Stream {
  id: string;
  version: number;
}

type Write = (stream: Stream, event: NewEvent) => Promise<void>;

function eventStoreWrite(store: EventStore): Write {
  return async (stream, event) => {
    await store.append(stream.id, 'bench', stream.version, [event]);
  };
}

const plainTable = `
  CREATE TABLE plain_events (
    position        bigserial   PRIMARY KEY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        COLLATE "C" NOT NULL,
    stream_type     text        COLLATE "C" NOT NULL,
    stream_version  integer     NOT NULL CHECK (stream_version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    type            text        NOT NULL,
    schema_version  integer     NOT NULL DEFAULT 1,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT plain_events_stream_version_unique UNIQUE (stream_id, stream_version)
  );
  CREATE INDEX plain_events_transaction_position_idx ON plain_events (transaction_id, position);
  CREATE INDEX plain_events_stream_type_idx ON plain_events (stream_type, position);`;

const plainInsertText = `INSERT INTO plain_events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING position`;

function plainInsertWrite(pool: Pool, prepared: boolean): Write {
  return async (stream, event) => {
    const values = [stream.id, 'bench', stream.version + 1, event.eventId, event.type, 1, JSON.stringify(event.data), JSON.stringify(event.metadata)];
    await pool.query(prepared ? { name: 'bench_plain_insert', text: plainInsertText, values } : { text: plainInsertText, values });
  };
}

// ---- running ------------------------------------------------------------------------------

interface Tally {
  events: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/** Runs `writers` concurrent loops of one-event writes for `durationMs`; long runs report every second. */
async function drive(label: string, write: Write, durationMs: number): Promise<Tally> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  let lastReport = started;
  let reported = 0;
  const loop = async (): Promise<void> => {
    let stream: Stream = { id: `bench-${randomUUID()}`, version: 0 };
    while (performance.now() < deadline) {
      if (stream.version === streamLength) stream = { id: `bench-${randomUUID()}`, version: 0 };
      const begin = performance.now();
      await write(stream, nextEvent(latenciesMs.length));
      const end = performance.now();
      latenciesMs.push(end - begin);
      stream.version += 1;
      if (durationMs > 2_000 && end - lastReport >= 1_000) {
        const rate = ((latenciesMs.length - reported) * 1_000) / (end - lastReport);
        process.stdout.write(
          `  ${label.padEnd(28)} ${((end - started) / 1_000).toFixed(0).padStart(3)} s  ${rate.toFixed(0).padStart(6)} events/s\n`,
        );
        lastReport = end;
        reported = latenciesMs.length;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
  return { events: latenciesMs.length, elapsedMs: performance.now() - started, latenciesMs };
}

interface Result {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

function summarize(tallies: readonly Tally[]): Result & { events: number } {
  const events = tallies.reduce((sum, tally) => sum + tally.events, 0);
  const elapsedMs = tallies.reduce((sum, tally) => sum + tally.elapsedMs, 0);
  const latencies = tallies.flatMap((tally) => tally.latenciesMs).sort((a, b) => a - b);
  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  return {
    events,
    eventsPerSec: round((events * 1_000) / elapsedMs, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}

const admin = (sql: string): Promise<void> => onServer(serverUrl, sql);

async function main(): Promise<void> {
  const database = `conduct_bench_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${database}`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: `${serverUrl}/${database}`,
    migrations: eventStoreMigrations,
    extra: { max: poolSize },
    logging: false,
  });
  let json: string | undefined;
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(plainTable);
    const pool = pgPoolOf(dataSource);

    const variants: { key: string; label: string; write: Write }[] = [
      { key: 'eventStore', label: 'eventStore (prepared)', write: eventStoreWrite(new EventStore(dataSource)) },
      { key: 'plainInsert', label: 'plainInsert (prepared)', write: plainInsertWrite(pool, true) },
    ];
    if (extraVariants) {
      variants.push(
        {
          key: 'eventStoreUnprepared',
          label: 'eventStore (unprepared)',
          write: eventStoreWrite(new EventStore(dataSource, { preparedStatements: false })),
        },
        { key: 'plainInsertUnprepared', label: 'plainInsert (unprepared)', write: plainInsertWrite(pool, false) },
      );
    }

    console.log(`append benchmark: ${writers} writers, pool ${poolSize}, ~1 KB events, one event per append, db ${database}`);
    console.log(`warm-up ${warmupMs} ms per variant (excluded), then ${rounds} alternating round(s) of ${roundMs} ms per variant`);
    for (const variant of variants) await drive(`${variant.label} warm-up`, variant.write, warmupMs);

    await dataSource.query('CHECKPOINT').catch(() => undefined); // needs superuser; only evens out the start
    const tallies = new Map<string, Tally[]>(variants.map((variant) => [variant.key, []]));
    for (let round = 1; round <= rounds; round += 1) {
      for (const variant of variants) {
        const tally = await drive(`${variant.label} round ${round}`, variant.write, roundMs);
        tallies.get(variant.key)!.push(tally);
        console.log(
          `  ${`${variant.label} round ${round}`.padEnd(34)} ${String(Math.round((tally.events * 1_000) / tally.elapsedMs)).padStart(6)} events/s`,
        );
      }
    }

    const results = variants.map((variant) => ({ ...variant, ...summarize(tallies.get(variant.key)!) }));
    console.log('');
    console.log(`${'variant'.padEnd(26)}${'events'.padStart(9)}${'events/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
    for (const result of results) {
      console.log(
        `${result.label.padEnd(26)}${String(result.events).padStart(9)}${String(result.eventsPerSec).padStart(10)}` +
          `${result.p50Ms.toFixed(2).padStart(9)}${result.p99Ms.toFixed(2).padStart(9)}`,
      );
    }
    const [eventStore, plainInsert] = results;
    const ratio = eventStore!.eventsPerSec / plainInsert!.eventsPerSec;
    console.log(`\neventStore / plainInsert = ${(ratio * 100).toFixed(0)}% (goal >= 90%)`);

    // Sanity: every append landed, and a written stream verifies.
    const [{ count }] = await dataSource.query<[{ count: number }]>(`SELECT count(*)::int AS count FROM events`);
    const [{ stream_id: sampleStream }] = await dataSource.query<[{ stream_id: string }]>(
      `SELECT stream_id FROM events ORDER BY position DESC LIMIT 1`,
    );
    const verification = await new EventStore(dataSource).verifyStream(sampleStream);
    console.log(`events table: ${count} rows; sample stream ${sampleStream} intact: ${verification.intact} (${verification.eventsChecked} events)`);

    const pick = ({ eventsPerSec, p50Ms, p99Ms }: Result): Result => ({ eventsPerSec, p50Ms, p99Ms });
    json = JSON.stringify({ eventStore: pick(eventStore!), plainInsert: pick(plainInsert!), ratio: Math.round(ratio * 100) / 100 });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  console.log(json);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
