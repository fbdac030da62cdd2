/**
 * End-to-end lag: POST /cases at a steady BENCH_RATE per second for BENCH_DURATION seconds, and
 * for each case the time from its 201 to its row in reporting-service's active read model (the
 * relay's publish, Kafka, the consumer's apply and commit). Drives the running system
 * (npm start); watches the reporting database directly, one query for every case still awaited
 * every 5 ms, so that watching adds next to no load.
 *
 *   npm run bench:lag
 *
 * Env: BENCH_RATE (50), BENCH_DURATION (60), CONDUCT_POSTGRES_URL (the server of
 * conduct_reporting, default postgres://postgres@127.0.0.1:5432), VIOLATION_URL.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { Client } from 'pg';
import {
  apiClient,
  benchPeople,
  latencySummary,
  numberFromEnv,
  progress,
  requireRunning,
  round,
  serviceUrls,
  violationReport,
} from './bench-support';

const rate = numberFromEnv('BENCH_RATE', 50);
const durationSeconds = numberFromEnv('BENCH_DURATION', 60);
const reportingDatabase = `${(process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')}/conduct_reporting`;
const giveUpMs = 30_000;

const investigator = apiClient(serviceUrls.violation, benchPeople.investigator);

async function main(): Promise<void> {
  await requireRunning('violation-service', serviceUrls.violation);
  await requireRunning('reporting-service', serviceUrls.reporting);
  const db = new Client({ connectionString: reportingDatabase });
  await db.connect();
  try {
    const [active] = (await db.query<{ schema_name: string }>(`SELECT schema_name FROM read_model_generations WHERE status = 'active'`)).rows;
    if (!active) throw new Error('reporting-service has no active read model generation yet');
    const casesTable = `${active.schema_name}.cases`;

    /** Cases answered 201 and not yet seen in reporting: case id → when the 201 came. */
    const awaited = new Map<string, number>();
    const lagsMs: number[] = [];
    let sent = 0;
    let failed = 0;
    let watching = true;

    const watch = (async () => {
      while (watching || awaited.size > 0) {
        if (awaited.size > 0) {
          const { rows } = await db.query<{ case_id: string }>(`SELECT case_id FROM ${casesTable} WHERE case_id = ANY($1)`, [[...awaited.keys()]]);
          const seenAt = performance.now();
          for (const { case_id } of rows) {
            lagsMs.push(Math.max(0, seenAt - awaited.get(case_id)!));
            awaited.delete(case_id);
          }
          for (const [caseId, answeredAt] of awaited)
            if (seenAt - answeredAt > giveUpMs) throw new Error(`case ${caseId} never reached reporting-service`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    progress(`POST /cases at ${rate}/s for ${durationSeconds} s; timing each case to reporting-service's read model`);
    const started = performance.now();
    const requests: Promise<void>[] = [];
    // Open loop: each request leaves on its schedule, whether or not earlier ones have been answered.
    for (let i = 0; i < rate * durationSeconds; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent += 1;
      requests.push(
        investigator.post<{ caseId: string }>('/cases', violationReport(i)).then(
          ({ body }) => void awaited.set(body.caseId, performance.now()),
          (error: unknown) => {
            failed += 1;
            progress(`  POST /cases failed: ${(error as Error).message}`);
          },
        ),
      );
      if ((i + 1) % (rate * 10) === 0) {
        const so = latencySummary(lagsMs);
        progress(`  ${i + 1} sent, ${lagsMs.length} seen in reporting: p50 ${so.p50Ms} ms, p99 ${so.p99Ms} ms`);
      }
    }
    await Promise.all(requests);
    watching = false;
    await watch;
    const { p50Ms, p99Ms } = latencySummary(lagsMs);
    const achievedRate = round(sent / ((performance.now() - started) / 1000), 1);
    progress(`${lagsMs.length} cases: from 201 to reporting-service p50 ${p50Ms} ms, p99 ${p99Ms} ms, max ${round(Math.max(...lagsMs), 1)} ms`);
    if (failed > 0) throw new Error(`${failed} of ${sent} POST /cases failed`);
    console.log(
      JSON.stringify({ samples: lagsMs.length, p50Ms, p99Ms, maxMs: round(Math.max(...lagsMs), 1), ratePerSec: rate, achievedRate, durationSeconds }),
    );
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
