/**
 * Loading one long case: a case gets BENCH_CASE_EVENTS events (notes, through the API), then
 * GET /cases/:id and GET /cases/:id?asOf=<its middle> are timed. The same-run baseline is the
 * same GET on a case of one event. Drives the running system (npm start).
 *
 *   npm run bench:case
 *
 * Env: BENCH_CASE_EVENTS (10000), BENCH_READS (100 of each, after 10 unmeasured), VIOLATION_URL.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { apiClient, benchPeople, latencySummary, numberFromEnv, progress, requireRunning, serviceUrls, violationReport } from './bench-support';

const events = numberFromEnv('BENCH_CASE_EVENTS', 10_000);
const reads = numberFromEnv('BENCH_READS', 100);
const warmup = 10;

const api = apiClient(serviceUrls.violation, benchPeople.investigator);

async function reportCase(serial: number): Promise<string> {
  const { body } = await api.post<{ caseId: string }>('/cases', violationReport(serial));
  return body.caseId;
}

/** Times `reads` GETs of a path after a warm-up; every answer must be at `version`. */
async function timeReads(path: string, version: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const durations: number[] = [];
  for (let i = 0; i < warmup + reads; i++) {
    const { body, ms } = await api.get<{ version: number }>(path);
    if (body.version !== version) throw new Error(`${path} answered version ${body.version}, expected ${version}`);
    if (i >= warmup) durations.push(ms);
  }
  return latencySummary(durations);
}

async function main(): Promise<void> {
  await requireRunning('violation-service', serviceUrls.violation);
  const serial = Date.now();
  const single = await reportCase(serial);
  const long = await reportCase(serial + 1);

  progress(`case ${long}: adding ${events - 1} notes`);
  const started = performance.now();
  let middle = '';
  const appendMs: number[] = [];
  for (let version = 2; version <= events; version++) {
    const { ms } = await api.post(`/cases/${long}/notes`, { text: `Note ${version}: called the SHO, who confirmed the officer's duty roster` });
    appendMs.push(ms);
    // Between the middle event and the next: "as of" then is the case at its middle version.
    if (version === Math.floor(events / 2)) middle = new Date().toISOString();
    if (version % 1000 === 0) progress(`  ${version} events, last 1000 notes p50 ${latencySummary(appendMs.slice(-1000)).p50Ms} ms`);
  }
  const seedSeconds = (performance.now() - started) / 1000;
  progress(`seeded in ${seedSeconds.toFixed(1)} s; timing ${reads} reads of each`);

  const baseline = await timeReads(`/cases/${single}`, 1);
  const load = await timeReads(`/cases/${long}`, events);
  const asOf = await timeReads(`/cases/${long}?asOf=${encodeURIComponent(middle)}`, Math.floor(events / 2));
  const lastNotes = latencySummary(appendMs.slice(-1000));

  progress('');
  progress(`                          p50 ms   p99 ms`);
  progress(`GET, 1 event (baseline) ${String(baseline.p50Ms).padStart(8)} ${String(baseline.p99Ms).padStart(8)}`);
  progress(`GET, ${events} events ${String(load.p50Ms).padStart(12)} ${String(load.p99Ms).padStart(8)}`);
  progress(`GET ?asOf= the middle ${String(asOf.p50Ms).padStart(10)} ${String(asOf.p99Ms).padStart(8)}`);
  progress(`POST a note (last 1000)${String(lastNotes.p50Ms).padStart(9)} ${String(lastNotes.p99Ms).padStart(8)}`);
  console.log(
    JSON.stringify({
      events,
      loadP50Ms: load.p50Ms,
      loadP99Ms: load.p99Ms,
      asOfP50Ms: asOf.p50Ms,
      asOfP99Ms: asOf.p99Ms,
      appendP50Ms: lastNotes.p50Ms,
      baseline: { events: 1, loadP50Ms: baseline.p50Ms, loadP99Ms: baseline.p99Ms },
      seedSeconds: Number(seedSeconds.toFixed(1)),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
