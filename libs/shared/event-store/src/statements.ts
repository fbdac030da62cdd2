import { GENESIS_HASH } from './hash-chain';

/**
 * The SQL of the event store. Every statement is sent as a *named* prepared statement, parsed
 * and planned once per connection instead of on every call (tools/bench/append.bench.ts
 * measures the difference).
 * Names carry a version suffix: change the text, change the name.
 */

/*
 * Append, in one statement (four variants: one event or several, with or without a snapshot).
 * `previous` finds the hash of the row at the expected version ($3; GENESIS_HASH for 0). When
 * it finds nothing, nothing is inserted and the caller reports `ahead`; a stale expected version
 * fails on the unique (stream_id, stream_version) constraint. Each hash is computed here, in
 * the database, from the previous row's hash and the event's canonical JSON (eventHashInput,
 * built by the caller): sha256(prev_hash || canonical) as lowercase hex.
 */
const previousHash = `
    SELECT hash, recorded_at FROM events WHERE stream_id = $1 AND stream_version = $3::int AND $3::int > 0
    UNION ALL
    SELECT '${GENESIS_HASH}'::text, '-infinity'::timestamptz WHERE $3::int = 0`;

/*
 * recorded_at strictly increases along a stream, one microsecond at least, even within one
 * multi-event append or if the server clock steps back: "as of an event's recordedAt" then
 * names exactly that event's version (ord is the 1-based place of the event in the append).
 */
const recordedAfter = (previous: string, ord: string): string =>
  `greatest(clock_timestamp(), ${previous} + interval '1 microsecond') + (${ord} - 1) * interval '1 microsecond'`;

const hashOnto = (prevHash: string, canonical: string): string => `encode(sha256(convert_to(${prevHash} || ${canonical}, 'UTF8')), 'hex')`;

const eventInsertColumns = `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata, prev_hash, hash, recorded_at, trace_context)`;

/*
 * One event, the common case, kept as lean as a plain INSERT: no arrays, no recursion, and the
 * event's text sent once. Its canonical JSON is assembled here from the pieces appendParts
 * cut it into, '{"data":' || data || afterData || metadata || afterMetadata, so the data and
 * metadata parameters serve both as the hash input and as the column values. They are typed
 * text everywhere: a jsonb-typed parameter would be re-serialized by PostgreSQL, not canonically.
 *   $1 stream id, $2 stream type, $3 expected version, $4 event id, $5 type, $6 schema version,
 *   $7 data, $8 metadata (canonical JSON texts), $9 afterData, $10 afterMetadata, $11 trace context.
 */
const insertOne = `${eventInsertColumns}
SELECT $1, $2, $3::int + 1, $4::uuid, $5, $6::int, $7::text::jsonb, $8::text::jsonb, p.hash,
       ${hashOnto('p.hash', `'{"data":' || $7::text || $9::text || $8::text || $10::text`)},
       ${recordedAfter('p.recorded_at', '1')}, $11::text
  FROM (${previousHash}) p`;

/*
 * Several events: $4 text[] holds the canonical JSON of each, in version order; `chain`
 * hashes each onto the one before it. The other columns are read from the very text hashed.
 * $5 is the trace context, the same for every event of the append.
 */
const manyCtes = `
WITH RECURSIVE
  batch AS (
    SELECT b.canonical, b.ord::int AS ord FROM unnest($4::text[]) WITH ORDINALITY AS b(canonical, ord)
  ),
  previous AS (${previousHash}
  ),
  chain (ord, canonical, prev_hash, hash, recorded_at) AS (
    SELECT b.ord, b.canonical, p.hash, ${hashOnto('p.hash', 'b.canonical')}, ${recordedAfter('p.recorded_at', '1')}
      FROM batch b CROSS JOIN previous p
     WHERE b.ord = 1
    UNION ALL
    SELECT b.ord, b.canonical, c.hash, ${hashOnto('c.hash', 'b.canonical')}, c.recorded_at + interval '1 microsecond'
      FROM chain c JOIN batch b ON b.ord = c.ord + 1
  )`;

const insertMany = `${eventInsertColumns}
SELECT $1, $2, $3::int + c.ord, (e.doc->>'eventId')::uuid, e.doc->>'type', (e.doc->>'schemaVersion')::int,
       e.doc->'data', e.doc->'metadata', c.prev_hash, c.hash, c.recorded_at, $5::text
  FROM chain c CROSS JOIN LATERAL (SELECT c.canonical::jsonb AS doc) e
 ORDER BY c.ord`;

/*
 * What the database assigned, packed into one text column: node-pg describes and parses every
 * result column on every call, and six columns cost about as much client CPU as the rest of
 * the append. Unpacked by parseAppended.
 */
const appended = `concat_ws(',', position, transaction_id, stream_version,
    (extract(epoch FROM recorded_at) * 1000000)::bigint, prev_hash, hash) AS appended`;

/*
 * With a snapshot of the state after the events, still one statement: the snapshot insert is a
 * data-modifying CTE that writes only when events were inserted. Its two parameters (schema
 * version, state as jsonb text) follow the append's.
 */
const withSnapshot = (ctes: string, insert: string, schemaVersion: string, state: string): string => `${ctes}
  inserted AS (
${insert}
    RETURNING stream_version, ${appended}
  ),
  snapshot AS (
    INSERT INTO snapshots (stream_id, stream_version, schema_version, state)
    SELECT $1, max(stream_version), ${schemaVersion}::int, ${state}::jsonb FROM inserted HAVING count(*) > 0
    ON CONFLICT (stream_id, stream_version)
      DO UPDATE SET schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, created_at = clock_timestamp()
  )
SELECT appended FROM inserted`;

export const appendOneStatement = {
  name: 'conduct_es_append_one_v3',
  text: `${insertOne}
RETURNING ${appended}`,
};

export const appendOneWithSnapshotStatement = {
  name: 'conduct_es_append_one_snapshot_v3',
  text: withSnapshot('WITH', insertOne, '$12', '$13'),
};

export const appendManyStatement = {
  name: 'conduct_es_append_many_v3',
  text: `${manyCtes}
${insertMany}
RETURNING ${appended}`,
};

export const appendManyWithSnapshotStatement = {
  name: 'conduct_es_append_many_snapshot_v3',
  text: withSnapshot(`${manyCtes},`, insertMany, '$6', '$7'),
};

export interface AppendedRow {
  position: string;
  transactionId: string;
  streamVersion: number;
  /** ISO 8601 with microseconds. */
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export function parseAppended({ appended }: { appended: string }): AppendedRow {
  const [position = '', transactionId = '', streamVersion = '', recordedAtMicros = '', prevHash = '', hash = ''] = appended.split(',');
  return {
    position,
    transactionId,
    streamVersion: Number(streamVersion),
    recordedAt: isoFromEpochMicros(recordedAtMicros),
    prevHash,
    hash,
  };
}

/** '1741000000123456' (microseconds since the epoch) → '2025-03-03T11:06:40.123456Z', as reads give it. */
export function isoFromEpochMicros(micros: string): string {
  const value = BigInt(micros);
  const millis = value / 1000n - (value % 1000n < 0n ? 1n : 0n);
  const extra = String(Number(value - millis * 1000n)).padStart(3, '0');
  return new Date(Number(millis)).toISOString().replace('Z', `${extra}Z`);
}

/**
 * recorded_at at its stored precision (microseconds), as ISO 8601 text: a JS Date would cut it
 * to milliseconds, and "as of" a cut time could take in an event recorded in the same millisecond.
 */
export const RECORDED_AT_TEXT = `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const EVENT_COLUMNS = `position, transaction_id, stream_id, stream_type, stream_version, event_id, type, schema_version,
       data, metadata, ${RECORDED_AT_TEXT} AS recorded_at, prev_hash, hash`;

/*
 * "As of" compares at the stored precision (microseconds): asOf = an event's recordedAt takes in
 * that event and nothing recorded after it (recorded_at strictly increases along a stream).
 */
const recordedBy = (parameter: string) => `recorded_at <= ${parameter}::timestamptz`;

/** $1 stream id, $2 from version, $3 to version, $4 recorded at or before (ms). */
export const readStreamStatement = {
  name: 'conduct_es_read_v2',
  text: `SELECT ${EVENT_COLUMNS}
  FROM events
 WHERE stream_id = $1 AND stream_version BETWEEN $2::int AND $3::int AND ${recordedBy('$4')}
 ORDER BY stream_version`,
};

export interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  /** ISO 8601 with microseconds (RECORDED_AT_TEXT). */
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

/** $1 stream id, $2 to version, $3 recorded at or before (ms): the stream's version then (0 if none). */
export const streamVersionStatement = {
  name: 'conduct_es_version_v2',
  text: `SELECT coalesce(max(stream_version), 0)::int AS version
  FROM events
 WHERE stream_id = $1 AND stream_version <= $2::int AND ${recordedBy('$3')}`,
};

/*
 * The latest usable snapshot at or below a version. $1 stream id, $2 version, $3/$4 the
 * (stream type, schema version) pairs that have a policy. Joining the event at the snapshot's
 * version yields the stream type and ignores a snapshot whose event is gone.
 */
export const latestSnapshotStatement = {
  name: 'conduct_es_snapshot_v1',
  text: `SELECT s.stream_version, s.state, e.stream_type
  FROM snapshots s
  JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.stream_version
 WHERE s.stream_id = $1 AND s.stream_version <= $2::int
   AND (e.stream_type, s.schema_version) IN (SELECT * FROM unnest($3::text[], $4::int[]))
 ORDER BY s.stream_version DESC
 LIMIT 1`,
};

export interface SnapshotRow {
  stream_version: number;
  state: unknown;
  stream_type: string;
}

/** Largest stream version, used when no bound is given. */
export const MAX_STREAM_VERSION = 2_147_483_647;
