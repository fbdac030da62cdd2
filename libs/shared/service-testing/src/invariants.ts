import { Client } from 'pg';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { computeEventHash, GENESIS_HASH } from '@conduct/event-store';
import { committedShortOf, groupTopics, topicEnds, whileRetriable, withDatabaseClient } from '@conduct/testing';
import { RunningSystem, ServiceName } from './system';

/**
 * What a fault scenario must leave intact. Each list names what is wrong; all empty is a pass.
 * - lostEvents: a stored, published event missing from the inbox of a consumer that applies its type;
 * - phantomEvents: an inbox row of an event no producer stored (applied from nowhere);
 * - unconsumed: a consumer group not committed to the end of its topics, or events still parked;
 * - unexpectedDeadLetters: messages in a `.dlq` topic beyond those the scenario fed in;
 * - brokenChains: a stream whose hash chain does not verify;
 * - readModelMismatches: a read model row that does not stand where its stream does, or HQ read
 *   models that differ from a fresh rebuild of the same topics.
 */
export interface InvariantReport {
  lostEvents: string[];
  phantomEvents: string[];
  unconsumed: string[];
  unexpectedDeadLetters: string[];
  brokenChains: string[];
  readModelMismatches: string[];
}

export const PRODUCERS: readonly { service: ServiceName; topic: string }[] = [
  { service: 'approval-service', topic: 'conduct.approvals.v1' },
  { service: 'violation-service', topic: 'conduct.cases.v1' },
  { service: 'notification-service', topic: 'conduct.notifications.v1' },
];
const TOPICS = PRODUCERS.map(({ topic }) => topic);
/** Columns a rebuild rightly writes differently (when the row was written, not what it says). */
const VOLATILE_COLUMNS = new Set(['updated_at', 'created_at', 'applied_at']);

export function isClean(report: InvariantReport): boolean {
  return Object.values(report).every((problems: string[]) => problems.length === 0);
}

/** reporting-service's active read-model generation (its consumer is `read-models-g<N>`, its tables in `rm_g<N>`). */
export async function activeGeneration(client: Client): Promise<number | undefined> {
  return (await client.query<{ generation: number }>(`SELECT generation FROM read_model_generations WHERE status = 'active'`)).rows[0]?.generation;
}

interface StoredEvent {
  event_id: string;
  type: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  prev_hash: string;
  hash: string;
}

/** Where an inbox lives: `inbox` in a service database, `rm_g<N>.inbox` for reporting's active generation. */
async function inboxesOf(client: Client, service: ServiceName): Promise<{ table: string; consumer: string }[]> {
  if (service === 'reporting-service') {
    const generation = await activeGeneration(client);
    return generation === undefined ? [] : [{ table: `rm_g${generation}.inbox`, consumer: `read-models-g${generation}` }];
  }
  const { rows } = await client.query<{ consumer: string }>('SELECT DISTINCT consumer FROM inbox');
  return rows.map(({ consumer }) => ({ table: 'inbox', consumer }));
}

/** Every event the producers stored, by id; with a report, each stream's chain is verified into it. */
async function storedEvents(
  system: RunningSystem,
  report?: InvariantReport,
): Promise<Map<string, StoredEvent & { service: ServiceName; topic: string }>> {
  const stored = new Map<string, StoredEvent & { service: ServiceName; topic: string }>();
  for (const { service, topic } of PRODUCERS) {
    const events = await withDatabaseClient(
      system.databaseUrl(service),
      async (client) =>
        (
          await client.query<StoredEvent>(
            `SELECT event_id::text AS event_id, type, stream_id, stream_type, stream_version, schema_version, data, metadata, prev_hash, hash
             FROM events ORDER BY stream_id, stream_version`,
          )
        ).rows,
    );
    let previous: StoredEvent | undefined;
    for (const event of events) {
      stored.set(event.event_id, { ...event, service, topic });
      const expectedPrev = previous?.stream_id === event.stream_id ? previous.hash : GENESIS_HASH;
      const expectedVersion = previous?.stream_id === event.stream_id ? previous.stream_version + 1 : 1;
      const hash = computeEventHash(event.prev_hash, {
        eventId: event.event_id,
        streamId: event.stream_id,
        streamType: event.stream_type,
        streamVersion: event.stream_version,
        type: event.type,
        schemaVersion: event.schema_version,
        data: event.data,
        metadata: event.metadata,
      });
      if (event.stream_version !== expectedVersion)
        report?.brokenChains.push(`${service} ${event.stream_id}: v${event.stream_version} follows v${expectedVersion - 1}`);
      else if (event.prev_hash !== expectedPrev)
        report?.brokenChains.push(`${service} ${event.stream_id} v${event.stream_version}: prev_hash is not the hash of the event before`);
      else if (hash !== event.hash)
        report?.brokenChains.push(`${service} ${event.stream_id} v${event.stream_version}: hash does not match the event`);
      previous = event;
    }
  }
  return stored;
}

/**
 * Checks a running system after a scenario. `deadLettersFed` is how many messages the scenario
 * itself put on each `.dlq` topic (poison messages); `rebuild` also rebuilds reporting's read
 * models from the topics and compares them with the live ones (it switches the system over).
 */
export async function checkInvariants(
  system: RunningSystem,
  kafkaBrokers: string[],
  options: { deadLettersFed?: Record<string, number>; rebuild?: boolean } = {},
): Promise<InvariantReport> {
  const report: InvariantReport = {
    lostEvents: [],
    phantomEvents: [],
    unconsumed: [],
    unexpectedDeadLetters: [],
    brokenChains: [],
    readModelMismatches: [],
  };

  // What each producer stored, and the chain of each of its streams.
  const stored = await storedEvents(system, report);
  // Every consumer's inbox: nothing from nowhere, and every event of a type it applies (as its
  // inbox shows) on a topic it reads. The system may still be appending (a late webhook attempt):
  // an event is lost only if it was stored before the inboxes were read, and phantom only if no
  // store holds it after they were read.
  const inboxes: { service: ServiceName; consumer: string; rows: { event_id: string; type: string; topic: string }[] }[] = [];
  for (const service of ['approval-service', 'violation-service', 'notification-service', 'reporting-service'] as const) {
    await withDatabaseClient(system.databaseUrl(service), async (client) => {
      for (const { table, consumer } of await inboxesOf(client, service)) {
        const { rows } = await client.query<{ event_id: string; type: string; topic: string }>(
          `SELECT event_id::text AS event_id, type, topic FROM ${table} WHERE consumer = $1`,
          [consumer],
        );
        inboxes.push({ service, consumer, rows });
        const seen = new Set(rows.map((row) => row.event_id));
        const applies = new Set(rows.map((row) => `${row.topic} ${row.type}`));
        for (const event of stored.values()) {
          if (applies.has(`${event.topic} ${event.type}`) && !seen.has(event.event_id)) {
            report.lostEvents.push(`${service}/${consumer}: ${event.type} ${event.event_id} (${event.stream_id} v${event.stream_version})`);
          }
        }
        // `inbox_parked` beside its inbox: in the service's schema, or in reporting's generation.
        const parked = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}_parked WHERE consumer = $1`, [consumer]);
        if (parked.rows[0]!.n > 0)
          report.unconsumed.push(`${service}/${consumer}: ${parked.rows[0]!.n} events parked, waiting for an earlier version`);
      }
    });
  }

  const storedAfter = await storedEvents(system);
  for (const { service, consumer, rows } of inboxes) {
    for (const row of rows) if (!storedAfter.has(row.event_id)) report.phantomEvents.push(`${service}/${consumer}: ${row.type} ${row.event_id}`);
  }

  // Read models against their streams.
  await withDatabaseClient(system.databaseUrl('violation-service'), async (client) => {
    const { rows } = await client.query<{ stream_id: string; stored: number; listed: number | null }>(
      `SELECT e.stream_id, max(e.stream_version)::int AS stored, l.version AS listed
         FROM events e LEFT JOIN cases_list l ON l.case_id = e.stream_id
        WHERE e.stream_type = 'case' GROUP BY e.stream_id, l.version HAVING l.version IS DISTINCT FROM max(e.stream_version)`,
    );
    for (const row of rows)
      report.readModelMismatches.push(`violation-service cases_list ${row.stream_id}: at v${row.listed ?? 'none'}, stream at v${row.stored}`);
  });

  // Kafka: every group of the run committed to the end; dead letters only as fed.
  const kafka = new Kafka({ clientId: 'invariants', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await topicEnds(admin, TOPICS);
    const { groups } = await whileRetriable(() => admin.listGroups());
    // Reporting's retired generations keep their groups (and offsets) but read nothing any more.
    const active = await withDatabaseClient(system.databaseUrl('reporting-service'), activeGeneration);
    const retired = (groupId: string): boolean => {
      const generation = /\.reporting-service\.g(\d+)$/.exec(groupId)?.[1];
      return generation !== undefined && Number(generation) !== active;
    };
    for (const { groupId } of groups.filter((group) => group.groupId.startsWith(`${system.groupPrefix}.`) && !retired(group.groupId))) {
      const topics = await groupTopics(admin, groupId, TOPICS);
      const short = await committedShortOf(admin, groupId, new Map(topics.map((topic) => [topic, ends.get(topic)!])));
      if (short) report.unconsumed.push(`${short} (${await groupState(admin, groupId)})`);
    }
    for (const topic of TOPICS.map((name) => `${name}.dlq`)) {
      const count = (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
      const fed = options.deadLettersFed?.[topic] ?? 0;
      if (count !== fed) report.unexpectedDeadLetters.push(`${topic}: ${count} messages, ${fed} fed by the scenario`);
    }
  } finally {
    await admin.disconnect();
  }

  if (options.rebuild) report.readModelMismatches.push(...(await rebuildAndCompare(system)));
  return report;
}

/** A group's state and members, e.g. "Stable, 1 member": what tells a stalled member from a rebalance that never ends. */
async function groupState(admin: Admin, groupId: string): Promise<string> {
  const [group] = (await whileRetriable(() => admin.describeGroups([groupId]))).groups;
  return group ? `${group.state}, ${group.members.length} member${group.members.length === 1 ? '' : 's'}` : 'not described';
}

/** Reporting's rollups: folded sums and the changes not folded yet (ADR 17). */
const ROLLUP_TABLES = ['report_rollups', 'report_rollup_changes'] as const;

/**
 * Rebuilds reporting's read models into a new generation (the admin API) and compares every table
 * with the generation that was live. The system then serves the rebuilt one.
 */
async function rebuildAndCompare(system: RunningSystem): Promise<string[]> {
  const admin = system.token({ subject: 'invariants', roles: ['ADMIN'] });
  const base = system.url('reporting-service');
  const url = system.databaseUrl('reporting-service');
  const live = await withDatabaseClient(url, activeGeneration);
  if (live === undefined) return ['reporting-service has no active read-model generation'];
  const started = await fetch(`${base}/admin/read-models/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
  if (started.status !== 202) return [`rebuild refused: ${started.status} ${await started.text()}`];
  const { generation } = (await started.json()) as { generation: number };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if ((await withDatabaseClient(url, activeGeneration)) === generation) break;
    if (Date.now() > deadline) return [`rebuild into generation ${generation} did not finish within 120 s`];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return withDatabaseClient(url, async (client) => {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name NOT IN ($2, $3, 'inbox', 'positions', 'inbox_stream_versions', 'inbox_parked') ORDER BY 1`,
      [`rm_g${live}`, ...ROLLUP_TABLES],
    );
    const mismatches: string[] = [];
    // Rollups are compared by what they add up to: how much of it is folded yet differs between generations.
    const rolledUp = (generation: number) =>
      `SELECT month, province, range, district, figure, key, sum(n) FROM (${ROLLUP_TABLES.map((table) => `SELECT * FROM rm_g${generation}.${table}`).join(' UNION ALL ')}) r
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`;
    const rollupDifference = async (from: number, to: number): Promise<number> =>
      (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${rolledUp(from)} EXCEPT ALL ${rolledUp(to)}) d`)).rows[0]!.n;
    const rollupsOnlyLive = await rollupDifference(live, generation);
    const rollupsOnlyRebuilt = await rollupDifference(generation, live);
    if (rollupsOnlyLive + rollupsOnlyRebuilt > 0) {
      mismatches.push(`reporting rollups: ${rollupsOnlyLive} sums only in the live read models, ${rollupsOnlyRebuilt} only in the rebuild`);
    }
    for (const { table_name: table } of tables) {
      const { rows: columns } = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [`rm_g${live}`, table],
      );
      const kept = columns
        .map((column) => column.column_name)
        .filter((name) => !VOLATILE_COLUMNS.has(name))
        .map((name) => `"${name}"`)
        .join(', ');
      const difference = async (from: number, to: number): Promise<number> =>
        (
          await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (SELECT ${kept} FROM rm_g${from}.${table} EXCEPT ALL SELECT ${kept} FROM rm_g${to}.${table}) d`,
          )
        ).rows[0]!.n;
      const onlyLive = await difference(live, generation);
      const onlyRebuilt = await difference(generation, live);
      if (onlyLive + onlyRebuilt > 0)
        mismatches.push(`reporting ${table}: ${onlyLive} rows only in the live read models, ${onlyRebuilt} only in the rebuild`);
    }
    return mismatches;
  });
}
