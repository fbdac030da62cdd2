import { Admin, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { computeEventHash, GENESIS_HASH } from '@conduct/event-store';
import { EventEnvelope } from './envelope';
import { readTopicsToEnd } from './topic-reader';

/**
 * After a service's database was restored from a backup: brings back from Kafka the events it had
 * published since, and rewinds its consumer groups so that its read models take in again what
 * they lost. Run it with the service stopped, before it takes a command: a restored event store
 * that takes commands hands out again stream versions it had already published, as other events.
 *
 * An event is re-imported only when it is the next version of its stream in the database and its
 * chain holds (its prevHash is the stored head's hash, its hash covers its content). A stream whose
 * database already holds another event at a version Kafka has is forked: reported, left alone (an
 * operator decides which history stands). A version Kafka does not have (a private event, never
 * published) stops that stream's import: reported as incomplete.
 */
export interface RestoreCatchUpOptions {
  kafka: Kafka;
  /** The restored service's database. */
  pool: Pool;
  /** The topics the service publishes to (its own events). */
  topics: readonly string[];
  /** The service's name and KAFKA_GROUP_PREFIX: its consumer groups are `[prefix.]<service>.<consumer>`. */
  service: string;
  groupPrefix?: string;
  /** False: leave the consumer groups where they are. */
  rewindConsumers?: boolean;
  progress?: (line: string) => void;
}

export interface StreamProblem {
  streamId: string;
  streamVersion: number;
  eventId: string;
  reason: string;
}

export interface RestoreCatchUpReport {
  /** Events found on the topics. */
  published: number;
  /** Of those, the events the database lacked. */
  missing: number;
  imported: number;
  /** Streams the database holds a different event for at a version Kafka has: two histories. */
  forked: StreamProblem[];
  /** Streams whose import stopped: a version missing from Kafka, or a chain that does not hold. */
  incomplete: StreamProblem[];
  /** Consumer groups rewound to the beginning of their topics (their inboxes skip what they hold). */
  rewound: string[];
}

interface Head {
  version: number;
  hash: string;
}

export async function restoreCatchUp(options: RestoreCatchUpOptions): Promise<RestoreCatchUpReport> {
  const say = options.progress ?? (() => undefined);
  const published = await publishedEvents(options.kafka, options.topics);
  say(`${published.size} events on ${options.topics.join(', ')}`);
  const missing = await missingFrom(options.pool, [...published.values()]);
  say(`${missing.length} of them missing from the database`);
  const report: RestoreCatchUpReport = { published: published.size, missing: missing.length, imported: 0, forked: [], incomplete: [], rewound: [] };

  const byStream = new Map<string, EventEnvelope[]>();
  for (const envelope of missing) byStream.set(envelope.streamId, [...(byStream.get(envelope.streamId) ?? []), envelope]);
  for (const [streamId, events] of byStream) {
    events.sort((a, b) => a.streamVersion - b.streamVersion);
    report.imported += await importStream(options.pool, streamId, events, report);
  }
  say(`re-imported ${report.imported} events; ${report.forked.length} forked and ${report.incomplete.length} incomplete streams`);

  if (options.rewindConsumers !== false) {
    report.rewound = await rewindConsumerGroups(options.kafka, [options.groupPrefix, options.service].filter(Boolean).join('.'));
    say(`rewound ${report.rewound.length} consumer groups: ${report.rewound.join(', ') || 'none'}`);
  }
  return report;
}

/** Every event on the topics, once each (a re-driven or republished copy counts once). */
/** Every event envelope the topics hold, by event id (the first copy of each). */
export async function publishedEvents(kafka: Kafka, topics: readonly string[]): Promise<Map<string, EventEnvelope>> {
  const events = new Map<string, EventEnvelope>();
  await readTopicsToEnd(
    kafka,
    topics,
    (_topic, _partition, message) => {
      const envelope = parseEnvelope(message.value?.toString('utf8'));
      if (envelope && !events.has(envelope.eventId)) events.set(envelope.eventId, envelope);
    },
    { groupPrefix: 'conduct-restore-catch-up', timeoutMs: 10 * 60_000 },
  );
  return events;
}

/** An envelope with what an event row needs; anything else on the topic (poison) is not an event of ours. */
function parseEnvelope(text: string | undefined): EventEnvelope | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<EventEnvelope>;
    const complete =
      typeof value.eventId === 'string' &&
      typeof value.streamId === 'string' &&
      Number.isInteger(value.streamVersion) &&
      typeof value.hash === 'string' &&
      typeof value.prevHash === 'string' &&
      typeof value.metadata === 'object';
    return complete ? (value as EventEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

async function missingFrom(pool: Pool, events: EventEnvelope[]): Promise<EventEnvelope[]> {
  const stored = new Set<string>();
  for (let start = 0; start < events.length; start += 10_000) {
    const ids = events.slice(start, start + 10_000).map((event) => event.eventId);
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id::text FROM events WHERE event_id = ANY ($1::uuid[])', [ids]);
    for (const row of rows) stored.add(row.event_id);
  }
  return events.filter((event) => !stored.has(event.eventId.toLowerCase()));
}

/** Appends a stream's missing events after its stored head, in one transaction; answers how many. */
async function importStream(pool: Pool, streamId: string, events: EventEnvelope[], report: RestoreCatchUpReport): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ stream_version: number; hash: string; event_id: string }>(
      'SELECT stream_version, hash, event_id::text FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1 FOR UPDATE',
      [streamId],
    );
    let head: Head = rows[0] ? { version: rows[0].stream_version, hash: rows[0].hash } : { version: 0, hash: GENESIS_HASH };
    let imported = 0;
    for (const event of events) {
      const problem = (reason: string): StreamProblem => ({ streamId, streamVersion: event.streamVersion, eventId: event.eventId, reason });
      if (event.streamVersion <= head.version) {
        const { rows: held } = await client.query<{ event_id: string }>(
          'SELECT event_id::text FROM events WHERE stream_id = $1 AND stream_version = $2',
          [streamId, event.streamVersion],
        );
        report.forked.push(problem(`the database holds version ${event.streamVersion} as event ${held[0]?.event_id ?? '?'}`));
        break;
      }
      if (event.streamVersion !== head.version + 1) {
        report.incomplete.push(problem(`versions ${head.version + 1} to ${event.streamVersion - 1} are on no topic`));
        break;
      }
      if (event.prevHash !== head.hash || computeEventHash(event.prevHash, { ...event, metadata: event.metadata! }) !== event.hash) {
        report.incomplete.push(problem('its hash chain does not hold: not imported'));
        break;
      }
      await client.query(
        `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          streamId,
          event.streamType,
          event.streamVersion,
          event.eventId,
          event.type,
          event.schemaVersion,
          event.data,
          event.metadata,
          event.prevHash,
          event.hash,
          event.recordedAt,
        ],
      );
      head = { version: event.streamVersion, hash: event.hash };
      imported += 1;
    }
    await client.query('COMMIT');
    return imported;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Every group of the service back to the beginning of each topic it reads; refused by Kafka while the service runs. */
async function rewindConsumerGroups(kafka: Kafka, groupStart: string): Promise<string[]> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(`${groupStart}.`));
    for (const groupId of ours) {
      for (const { topic } of await admin.fetchOffsets({ groupId })) {
        // The partitions' first offsets, committed as such (resetOffsets would commit kafkajs's -2 sentinel).
        const starts = (await admin.fetchTopicOffsets(topic)).map(({ partition, low }) => ({ partition, offset: low }));
        await admin.setOffsets({ groupId, topic, partitions: starts });
      }
    }
    return ours.sort();
  } finally {
    await admin.disconnect();
  }
}
