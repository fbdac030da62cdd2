import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { EventEnvelope } from '@conduct/messaging';
import { reportScenario, scenarioEnvelopes } from '../testing/report-scenario';
import { approvalsReport } from '../approvals-report/approvals-report.projection';
import { caseTimeline } from '../case-timeline/case-timeline.projection';
import { casesReadModel } from './cases.projection';
import { applyToReadModels } from './combine-handlers';
import { notificationsReadModel } from './notifications.projection';
import { officersReadModel } from './officers.projection';
import { compactRollupChanges, ensureRollups, foldRollupChanges, ROLLUP_SOURCES, reportRollups } from './report-rollups';
import { StreamRowGapError } from '@conduct/messaging';

jest.setTimeout(60_000);

/*
 * The handlers themselves, against real PostgreSQL and without the inbox: applying every event a
 * second time (a replay that the inbox did not filter) and applying the streams in another order
 * (Kafka orders a stream, not the topic) must both leave exactly the same rows. A version out of
 * its stream's order never reaches them (the consumer applies each stream in order); one that
 * would skip a version is refused. The Kafka-fed replay, through the inbox, is in
 * reports/headquarters-reports.int-spec.ts; versions out of order, in stream-order.int-spec.ts.
 */

/** The read models the HQ reports and the case list read (the timeline needs the generation's inbox). */
const readModels = [approvalsReport, casesReadModel, officersReadModel, notificationsReadModel, reportRollups];
const tables = [
  'cases',
  'takedown_notices',
  'findings',
  'sanctions',
  'officer_history',
  'early_intervention_flags',
  'notifications',
  'approvals_report',
];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase([], 'reporting_read_models');
});
afterAll(async () => {
  await database?.drop();
});

/** A fresh schema with every read model's DDL, as a new generation gets it (or as an older version made it: `models`; `create` false adds them to an existing schema). */
async function freshSchema(name: string, models = readModels, create = true): Promise<void> {
  await database.dataSource.transaction(async (manager) => {
    if (create) await manager.query(`CREATE SCHEMA ${name}`);
    await manager.query(`SET LOCAL search_path TO ${name}`);
    for (const model of models) for (const statement of model.ddl) await manager.query(statement);
  });
}

/** Applies the events one transaction each, or (`together`) all in one, as an inbox transaction does. */
async function apply(schema: string, envelopes: readonly EventEnvelope<object>[], together = false): Promise<void> {
  for (const transaction of together ? [envelopes] : envelopes.map((envelope) => [envelope])) {
    await database.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${schema}`);
      await applyToReadModels(readModels, transaction, manager);
    });
  }
}

async function rows(schema: string): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
    const found: Record<string, unknown>[] = await database.dataSource.query(`SELECT * FROM ${schema}.${table} ORDER BY 1`);
    // When a row was last written is processing time, not something the events say.
    snapshot[table] = found.map(({ updated_at: _processedAt, ...row }) => row);
  }
  return snapshot;
}

/** Every stream's events in order, but the streams taken one after another from the last. */
function streamsReversed(envelopes: readonly EventEnvelope<object>[]): EventEnvelope<object>[] {
  const streams = new Map<string, EventEnvelope<object>[]>();
  for (const envelope of envelopes) streams.set(envelope.streamId, [...(streams.get(envelope.streamId) ?? []), envelope]);
  return [...streams.values()].reverse().flat();
}

const scenario = scenarioEnvelopes(reportScenario('rm'));
const everything = [...scenario.cases, ...scenario.approvals, ...scenario.notifications];

it('applying every event twice leaves the rows of applying it once', async () => {
  await freshSchema('once');
  await apply('once', everything);
  const once = await rows('once');
  expect(once['cases']).toHaveLength(9);
  expect(once['findings']).toHaveLength(7);

  await apply('once', everything);
  expect(await rows('once')).toEqual(once);
});

it('applying every event in one transaction, each row changed in memory and written once, leaves the rows of one transaction per event', async () => {
  await freshSchema('apart');
  await freshSchema('together');
  await apply('apart', everything);
  await apply('together', everything, true);
  const apart = await rows('apart');
  expect(await rows('together')).toEqual(apart);
  // Appeals set aside and reduce the latest finding and sanction, notices are removed and missed: not only rows added.
  expect((apart['findings'] as { set_aside: boolean }[]).some((row) => row.set_aside)).toBe(true);
  expect((apart['sanctions'] as { outcome: string }[]).map((row) => row.outcome)).toContain('reduced');
  expect((apart['takedown_notices'] as { removed_at: unknown; missed_at: unknown }[]).some((row) => row.removed_at !== null)).toBe(true);

  // Half of each stream in one transaction, the rest in another: rows read back from the table are changed and written again.
  await freshSchema('halves');
  const half = (list: readonly EventEnvelope<object>[]) => list.filter((envelope) => envelope.streamVersion <= 3);
  await apply('halves', half(everything), true);
  await apply(
    'halves',
    everything.filter((envelope) => !half(everything).includes(envelope)),
    true,
  );
  expect(await rows('halves')).toEqual(apart);
});

it('applying the streams in another order gives the same rows', async () => {
  await freshSchema('forward');
  await freshSchema('reversed');
  await apply('forward', everything);
  await apply('reversed', streamsReversed(everything));
  expect(await rows('reversed')).toEqual(await rows('forward'));
});

it('an event older than the row (a version applied already, under another event id) changes nothing', async () => {
  await freshSchema('late');
  await apply('late', everything);
  const before = await rows('late');
  // The reduction of s2's sanction arrives again under a new event id, after the case was closed.
  const decided = scenario.cases.find((e) => e.type === 'AppealDecided' && (e.data as { outcome: string }).outcome === 'sanction-reduced')!;
  await apply('late', [{ ...decided, eventId: '00000000-0000-4000-8000-000000000001', data: { ...decided.data, reducedTo: 'dismissal' } }]);
  const after = await rows('late');
  expect(after['cases']).toEqual(before['cases']);
  expect(after['sanctions']).toEqual(before['sanctions']);
});

it('refuses an event that would skip a version of its stream, and changes nothing', async () => {
  await freshSchema('gap');
  const stream = scenario.cases.filter((e) => e.streamId === scenario.cases.find((c) => c.type === 'SanctionImposed')!.streamId);
  const sanction = stream.findIndex((e) => e.type === 'SanctionImposed');
  await apply('gap', stream.slice(0, sanction - 1));
  const before = await rows('gap');

  await expect(apply('gap', [stream[sanction]!])).rejects.toThrow(StreamRowGapError);
  expect(await rows('gap')).toEqual(before);
});

describe('report rollups', () => {
  const ROLLUP_ROW = `to_char(month, 'YYYY-MM') AS month, province, coalesce(range, '-') AS range, coalesce(district, '-') AS district, figure, key`;

  /** What the rollups say, folded and pending changes together, without the figures that sum to zero. */
  async function rolledUp(schema: string): Promise<unknown[]> {
    return database.dataSource.query(
      `SELECT ${ROLLUP_ROW}, sum(n)::int AS n
         FROM (SELECT * FROM ${schema}.report_rollups UNION ALL SELECT * FROM ${schema}.report_rollup_changes) AS r
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
  }

  /** The same counted from the rows as they stand now, notices and sanctions placed by their case's own row. */
  async function recounted(schema: string): Promise<unknown[]> {
    const counts = Object.values(ROLLUP_SOURCES).map((source) => {
      const byCase = source.table === 'takedown_notices' || source.table === 'sanctions';
      const place = byCase ? 'p' : source.row;
      return `SELECT date_trunc('month', x.at AT TIME ZONE 'UTC')::date AS month, ${place}.province, ${place}.range, ${place}.district,
                     x.figure, x.key, x.n
                FROM ${schema}.${source.table} ${source.row} ${byCase ? `JOIN ${schema}.cases p USING (case_id)` : ''}
               CROSS JOIN LATERAL ${schema}.${source.contributions}(${source.row}) AS x`;
    });
    // As reports and triggers call them: in the generation's schema (they bucket durations with its duration_bucket).
    return database.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${schema}, public`);
      return manager.query<unknown[]>(
        `SELECT ${ROLLUP_ROW}, sum(n)::int AS n FROM (${counts.join(' UNION ALL ')}) AS r
          GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
      );
    });
  }

  /** What a generation of an older layout lacks: the triggers of this one (replaced by ensureRollups). */
  const dropRollupTriggers = async (schema: string, table: string) => {
    for (const operation of ['insert', 'update', 'delete'])
      await database.dataSource.query(`DROP TRIGGER ${table}_rollup_${operation} ON ${schema}.${table}`);
  };

  const pendingChanges = async (schema: string) =>
    (await database.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${schema}.report_rollup_changes`))[0].n;

  it('equal a count over the rows after every kind of change, folded or not, and a replay writes nothing', async () => {
    await freshSchema('rollups');
    await apply('rollups', everything);
    const counted = await recounted('rollups');
    // Opened, closed, reduced, set aside, reopened, published, refused: every figure kind is there.
    expect(new Set((counted as { figure: string }[]).map((row) => row.figure)).size).toBeGreaterThanOrEqual(15);
    expect(await rolledUp('rollups')).toEqual(counted);

    expect(await foldRollupChanges(database.dataSource.manager, 'rollups')).toBeGreaterThan(0);
    expect(await pendingChanges('rollups')).toBe(0);
    expect(await rolledUp('rollups')).toEqual(counted);

    await apply('rollups', everything);
    expect(await pendingChanges('rollups')).toBe(0);
    expect(await rolledUp('rollups')).toEqual(counted);
  });

  it('count the net change of rows written once for a whole transaction', async () => {
    await freshSchema('rollups_together');
    await apply('rollups_together', everything, true);
    expect(await rolledUp('rollups_together')).toEqual(await recounted('rollups_together'));
    await apply('rollups_together', everything, true);
    expect(await rolledUp('rollups_together')).toEqual(await recounted('rollups_together'));
  });

  it('are added to a generation built before them, counting its rows as they stand, once', async () => {
    await freshSchema(
      'older',
      readModels.filter((model) => model !== reportRollups),
    );
    await apply('older', everything);
    expect(await ensureRollups(database.dataSource.manager, 'older')).toBe(true);
    expect(await ensureRollups(database.dataSource.manager, 'older')).toBe(false);
    expect(await rolledUp('older')).toEqual(await recounted('older'));
    // The triggers count what comes after.
    await apply('older', [
      {
        ...scenario.cases[0]!,
        eventId: '00000000-0000-4000-8000-0000000000aa',
        streamId: 'case-new',
        data: { ...scenario.cases[0]!.data, caseId: 'case-new' },
      },
    ]);
    expect(await rolledUp('older')).toEqual(await recounted('older'));
    expect(await rolledUp('older')).not.toEqual(await rolledUp('rollups'));
  });

  it('of an older layout are counted again from the rows, once: the duration histograms are added', async () => {
    await freshSchema('layout1');
    await apply('layout1', everything);
    // What a generation of the first layout holds: no histograms, and no version on the table.
    await database.dataSource.query(`COMMENT ON TABLE layout1.report_rollups IS NULL`);
    await database.dataSource.query(`DELETE FROM layout1.report_rollup_changes WHERE figure LIKE '%-time'`);
    await database.dataSource.query(`DELETE FROM layout1.report_rollups WHERE figure LIKE '%-time'`);
    const histograms = async () =>
      ((await rolledUp('layout1')) as { figure: string }[]).filter((row) => row.figure.endsWith('-time')).map((row) => row.figure);
    expect(await histograms()).toEqual([]);

    expect(await ensureRollups(database.dataSource.manager, 'layout1')).toBe(true);
    expect(await ensureRollups(database.dataSource.manager, 'layout1')).toBe(false);
    expect(new Set(await histograms())).toEqual(new Set(['takedowns.removal-time', 'approvals.decision-time']));
    expect(await rolledUp('layout1')).toEqual(await recounted('layout1'));
    expect(await rolledUp('layout1')).toEqual(await rolledUp('rollups'));
  });

  it('of the second layout gain the cases’ observed and known dates, taken from the case timeline', async () => {
    await freshSchema('layout2');
    await apply('layout2', everything);
    const dates = () =>
      database.dataSource.query<{ case_id: string; observed_at: Date | null; became_known_at: Date | null }[]>(
        `SELECT case_id, observed_at, became_known_at FROM layout2.cases ORDER BY case_id`,
      );
    const asRecorded = await dates();
    expect(asRecorded.every((row) => row.observed_at !== null && row.became_known_at !== null)).toBe(true);
    // The case timeline of the generation, as its own consumer records each case's first event.
    await freshSchema('layout2', [caseTimeline], false);
    const reports = everything.filter((envelope) => envelope.type === 'ViolationReported');
    for (const [offset, e] of reports.entries()) {
      await database.dataSource.query(
        `INSERT INTO layout2.case_timeline (case_id, event_id, type, schema_version, stream_id, stream_type, stream_version, occurred_at,
                                            recorded_at, actor, correlation_id, data, prev_hash, hash, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $1, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'conduct.cases.v1', 0, $14)`,
        [
          e.streamId,
          e.eventId,
          e.type,
          e.schemaVersion,
          e.streamType,
          e.streamVersion,
          e.occurredAt,
          e.recordedAt,
          e.actor,
          e.correlationId,
          e.data,
          e.prevHash,
          e.hash,
          offset,
        ],
      );
    }
    // What a generation of the second layout holds: cases without those dates, rollups without their figures.
    await database.dataSource.query(`COMMENT ON TABLE layout2.report_rollups IS 'report rollups v2'`);
    await dropRollupTriggers('layout2', 'cases');
    await database.dataSource.query(`ALTER TABLE layout2.cases DROP COLUMN observed_at, DROP COLUMN became_known_at`);
    for (const table of ['report_rollups', 'report_rollup_changes'])
      await database.dataSource.query(`DELETE FROM layout2.${table} WHERE figure LIKE 'cases.observed%' OR figure LIKE 'cases.known%'`);

    expect(await ensureRollups(database.dataSource.manager, 'layout2')).toBe(true);
    expect(await ensureRollups(database.dataSource.manager, 'layout2')).toBe(false);
    expect(await dates()).toEqual(asRecorded);
    expect(await rolledUp('layout2')).toEqual(await recounted('layout2'));
    expect(await rolledUp('layout2')).toEqual(await rolledUp('rollups'));
  });

  it('of the third layout keep their counts and only have their row triggers and histogram indexes replaced, once', async () => {
    await freshSchema('layout3');
    await apply('layout3', everything);
    const before = await rolledUp('layout3');
    const query = (sql: string) => database.dataSource.query<{ n: number }[]>(sql);
    await query(`COMMENT ON TABLE layout3.report_rollups IS 'report rollups v3'`);
    // Its row triggers, by their name; stand-ins here that refuse any write, so one left behind would show.
    await query(
      `CREATE FUNCTION layout3.row_rollup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'a row trigger of layout 3 ran'; END $$`,
    );
    for (const { table } of Object.values(ROLLUP_SOURCES)) {
      await dropRollupTriggers('layout3', table);
      await query(
        `CREATE TRIGGER ${table}_rollup AFTER INSERT OR UPDATE OR DELETE ON layout3.${table} FOR EACH ROW EXECUTE FUNCTION layout3.row_rollup()`,
      );
    }
    // Its histogram indexes held the durations' date columns but not the one they run until.
    const histogramIndexes = () =>
      database.dataSource.query<{ indexdef: string }[]>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = 'layout3' AND indexname IN ('takedown_notices_removal_time_idx', 'approvals_report_decision_time_idx') ORDER BY 1`,
      );
    for (const { indexdef } of await histogramIndexes()) {
      await query(`DROP INDEX layout3.${/INDEX (\w+)/.exec(indexdef)![1]}`);
      await query(indexdef.replace(/ INCLUDE \(\w+\)/, ''));
    }
    expect((await histogramIndexes()).some(({ indexdef }) => indexdef.includes('INCLUDE'))).toBe(false);
    // A figure the rows do not hold: counted again, the rollups would lose it.
    await query(`INSERT INTO layout3.report_rollups VALUES ('2020-01-01', 'Nowhere', NULL, NULL, 'cases.opened', '', 7)`);

    expect(await ensureRollups(database.dataSource.manager, 'layout3')).toBe(true);
    expect(await ensureRollups(database.dataSource.manager, 'layout3')).toBe(false);
    expect(await query(`SELECT n::int AS n FROM layout3.report_rollups WHERE province = 'Nowhere'`)).toEqual([{ n: 7 }]);
    expect((await histogramIndexes()).map(({ indexdef }) => /INCLUDE \((\w+)\)/.exec(indexdef)?.[1])).toEqual(['decided_at', 'removed_at']);
    await query(`DELETE FROM layout3.report_rollups WHERE province = 'Nowhere'`);
    expect(await rolledUp('layout3')).toEqual(before);
    // The statement triggers count what comes after: a case reported.
    await apply('layout3', [
      {
        ...scenario.cases[0]!,
        eventId: '00000000-0000-4000-8000-0000000000bb',
        streamId: 'case-3',
        data: { ...scenario.cases[0]!.data, caseId: 'case-3' },
      },
    ]);
    expect(await rolledUp('layout3')).toEqual(await recounted('layout3'));
    expect(await rolledUp('layout3')).not.toEqual(before);
  });

  it('notices, findings and sanctions of an older layout gain their case’s place (findings, the officer too), once', async () => {
    await freshSchema('unplaced');
    await apply('unplaced', everything);
    const copied = {
      takedown_notices: ['province', 'range', 'district', 'unit_id'],
      findings: ['officer_service_number', 'officer_name', 'province', 'range', 'district', 'unit_id'],
      sanctions: ['province', 'range', 'district', 'unit_id'],
    };
    const tablesNow = async () => {
      const found: Record<string, { province: string | null }[]> = {};
      for (const table of Object.keys(copied)) found[table] = await database.dataSource.query(`SELECT * FROM unplaced.${table} ORDER BY 1`);
      return found;
    };
    const asRecorded = await tablesNow();
    for (const rows of Object.values(asRecorded)) {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.province !== null)).toBe(true);
    }
    const rolledUpBefore = await rolledUp('unplaced');
    // What a generation of that layout holds: none of those columns, nor the triggers filling them, nor the index on findings'.
    // Its rollup triggers placed a notice or sanction through its case and fired on none of the columns: here, none at all.
    await database.dataSource.query(`DROP INDEX unplaced.findings_officers_report_idx`);
    for (const table of ['takedown_notices', 'sanctions']) await dropRollupTriggers('unplaced', table);
    for (const [table, columns] of Object.entries(copied)) {
      await database.dataSource.query(`DROP TRIGGER ${table}_from_case ON unplaced.${table}`);
      await database.dataSource.query(`ALTER TABLE unplaced.${table} ${columns.map((column) => `DROP COLUMN ${column}`).join(', ')}`);
    }
    const upgrade = () =>
      database.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL search_path TO unplaced`);
        return casesReadModel.upgrade!(manager);
      });

    // Rollups of an older layout are counted again by place: the count needs the columns, so it adds them first.
    await database.dataSource.query(`COMMENT ON TABLE unplaced.report_rollups IS 'report rollups v2'`);
    expect(await ensureRollups(database.dataSource.manager, 'unplaced')).toBe(true);
    expect(await upgrade()).toBe(false);
    // Without the rollups in the way, the read model's own upgrade does the same, once.
    await database.dataSource.query(`DROP TRIGGER findings_from_case ON unplaced.findings`);
    await database.dataSource.query(`UPDATE unplaced.findings SET officer_service_number = NULL, province = NULL`);
    expect(await upgrade()).toBe(true);
    expect(await upgrade()).toBe(false);
    expect(await tablesNow()).toEqual(asRecorded);
    expect(await rolledUp('unplaced')).toEqual(rolledUpBefore);
    // A writer that knows nothing of the columns (a replica of the older version, during the upgrade) still places its rows.
    const [someCase] = await database.dataSource.query<{ case_id: string; province: string; district: string | null }[]>(
      `SELECT case_id, province, district FROM unplaced.cases ORDER BY case_id LIMIT 1`,
    );
    await database.dataSource.query(
      `INSERT INTO unplaced.takedown_notices (notice_id, case_id, served_at, due_at) VALUES ('notice-late', $1, now(), now() + interval '7 days')`,
      [someCase!.case_id],
    );
    expect(await database.dataSource.query(`SELECT province, district FROM unplaced.takedown_notices WHERE notice_id = 'notice-late'`)).toEqual([
      { province: someCase!.province, district: someCase!.district },
    ]);
    expect(await rolledUp('unplaced')).toEqual(await recounted('unplaced'));
    const [{ indexed }] = await database.dataSource.query(`SELECT to_regclass('unplaced.findings_officers_report_idx') IS NOT NULL AS indexed`);
    expect(indexed).toBe(true);
  });

  it('give back the pages of an emptied changes table, but never wait for its lock', async () => {
    await freshSchema('compacted');
    await apply('compacted', everything);
    const size = async () =>
      (await database.dataSource.query<[{ bytes: number }]>(`SELECT pg_relation_size('compacted.report_rollup_changes')::int AS bytes`))[0].bytes;
    const before = await rolledUp('compacted');
    expect(await size()).toBeGreaterThan(0);

    // Too small to bother: left as it is.
    expect(await compactRollupChanges(database.dataSource.manager, 'compacted')).toBe(false);
    // A report reading the table holds a lock the compaction would need: it gives up at once.
    const reader = database.dataSource.createQueryRunner();
    await reader.connect();
    try {
      await reader.startTransaction();
      await reader.query('SELECT count(*) FROM compacted.report_rollup_changes');
      expect(await compactRollupChanges(database.dataSource.manager, 'compacted', 0)).toBe(false);
      await reader.commitTransaction();
    } finally {
      await reader.release();
    }
    expect(await compactRollupChanges(database.dataSource.manager, 'compacted', 0)).toBe(true);
    expect(await size()).toBe(0);
    expect(await pendingChanges('compacted')).toBe(0);
    expect(await rolledUp('compacted')).toEqual(before);
    expect(await rolledUp('compacted')).toEqual(await recounted('compacted'));
  });

  it('do not make writers of the same month and place wait on each other', async () => {
    await freshSchema('concurrent');
    const reported = scenario.cases.find((e) => e.type === 'ViolationReported')!;
    const another = (n: number) => ({
      ...reported,
      eventId: `00000000-0000-4000-8000-00000000000${n}`,
      streamId: `case-${n}`,
      data: { ...reported.data, caseId: `case-${n}` },
    });
    const runner = database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL search_path TO concurrent');
      await applyToReadModels(readModels, [another(1)], runner.manager);
      // The first transaction is still open; the second counts towards the same rollup row and must not wait for it.
      const second = apply('concurrent', [another(2)]).then(() => 'committed');
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 3000));
      expect(await Promise.race([second, waited])).toBe('committed');
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await rolledUp('concurrent')).toEqual(await recounted('concurrent'));
  });
});
