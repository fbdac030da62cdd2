/**
 * The HTTP paths under load, against the running system: POST /cases, one case transition (a
 * note), GET /cases/:id and GET /reports/cases, each for BENCH_DURATION seconds at
 * BENCH_CONNECTIONS connections (autocannon). The same-run baseline is POST /bench/baseline on
 * violation-service: the same HTTP stack doing one plain INSERT of the same body, measured before
 * and after POST /cases. Right after POST /cases, and after the whole run, it times how long every
 * consumer group and every relay take to catch up (lag back to 0), and counts consumer crashes and
 * dead letters during the run.
 *
 *   BENCH_BASELINE_ROUTE=true npm start     # then, in another shell:
 *   npm run bench:http
 *
 * Requests come from BENCH_PEOPLE investigators (and as many analysts) in turn, so that each stays
 * within the services' rate limit per person, as a force's load would.
 *
 * Env: BENCH_DURATION (10 s per path), BENCH_CONNECTIONS (32), BENCH_CASES (200 cases for the
 * transition and the reads), BENCH_PEOPLE (1000), KAFKA_BROKERS (127.0.0.1:9092), *_URL of the services.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { apiClient, benchPeople, numberFromEnv, progress, requireRunning, round, serviceUrls, violationReport } from './bench-support';

const durationSeconds = numberFromEnv('BENCH_DURATION', 10);
const connections = numberFromEnv('BENCH_CONNECTIONS', 32);
const caseCount = numberFromEnv('BENCH_CASES', 200);
const people = numberFromEnv('BENCH_PEOPLE', 1000);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

interface PathResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const investigator = apiClient(serviceUrls.violation, benchPeople.investigator, people);
const analyst = apiClient(serviceUrls.reporting, benchPeople.analyst, people);

/** Drives one request shape; `paths` are taken in turn, one per request. */
async function drive(label: string, options: { url: string; method: 'GET' | 'POST'; tokens: string[]; paths: string[]; body?: unknown }) {
  progress(`${label}: ${durationSeconds} s at ${connections} connections`);
  let next = 0;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const result = await autocannon({
    url: options.url,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: options.method,
        ...(body ? { body } : {}),
        setupRequest: (request) => {
          const turn = next++;
          const headers = { authorization: options.tokens[turn % options.tokens.length]!, ...(body ? { 'content-type': 'application/json' } : {}) };
          return { ...request, headers, path: options.paths[turn % options.paths.length]! };
        },
      },
    ],
  });
  const summary: PathResult = {
    requestsPerSec: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  progress(
    `  ${summary.requestsPerSec} requests/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms${summary.non2xx ? `, ${summary.non2xx} not 2xx` : ''}`,
  );
  if (summary.non2xx > 0 || summary.errors > 0) throw new Error(`${label}: ${summary.non2xx} answers were not 2xx and ${summary.errors} failed`);
  return summary;
}

/** The sum of one counter over the services' /metrics, by metric name prefix. */
async function metricTotal(name: string): Promise<number> {
  let total = 0;
  for (const url of Object.values(serviceUrls)) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** Events behind: every relay's backlog plus every active consumer group's lag on its topics. */
async function totalLag(admin: ReturnType<Kafka['admin']>): Promise<number> {
  let lag = await metricTotal('conduct_relay_lag_events');
  const { groups } = await admin.listGroups();
  const described = await admin.describeGroups(groups.map((group) => group.groupId));
  // Only groups with members: groups left behind by stopped test runs never catch up.
  const active = described.groups.filter((group) => group.state === 'Stable').map((group) => group.groupId);
  const ends = new Map<string, Map<number, number>>();
  for (const groupId of active) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      if (!ends.has(topic)) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
      for (const { partition, offset } of partitions) lag += Math.max(0, (ends.get(topic)!.get(partition) ?? 0) - Math.max(Number(offset), 0));
    }
  }
  return lag;
}

/** Seconds until nothing is behind anywhere (polled every 100 ms), or the limit. */
async function secondsToCatchUp(admin: ReturnType<Kafka['admin']>, limitSeconds = 60): Promise<number> {
  const started = performance.now();
  while ((performance.now() - started) / 1000 < limitSeconds) {
    if ((await totalLag(admin)) === 0) return round((performance.now() - started) / 1000, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`consumers and relays were still behind ${limitSeconds} s after the load`);
}

async function main(): Promise<void> {
  for (const [name, url] of Object.entries(serviceUrls)) await requireRunning(`${name}-service`, url);
  const admin = new Kafka({ clientId: 'bench-http', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const probe = await fetch(`${serviceUrls.violation}/bench/baseline`, {
      method: 'POST',
      headers: { authorization: investigator.tokens[0]!, 'content-type': 'application/json' },
      body: '{}',
    });
    if (probe.status !== 201) throw new Error(`POST /bench/baseline answered ${probe.status}: start the system with BENCH_BASELINE_ROUTE=true`);
    progress(`waiting for the system to be idle`);
    await secondsToCatchUp(admin);

    progress(`reporting ${caseCount} cases for the transition and the reads`);
    const caseIds: string[] = [];
    for (let i = 0; i < caseCount; i++) caseIds.push((await investigator.post<{ caseId: string }>('/cases', violationReport(i))).body.caseId);
    await secondsToCatchUp(admin);

    const troubleBefore = (await metricTotal('conduct_consumer_crashes_total')) + (await metricTotal('conduct_consumer_dead_lettered_total'));
    const post = { url: serviceUrls.violation, method: 'POST' as const, tokens: investigator.tokens, body: violationReport(1) };
    const baselineBefore = await drive('baseline: POST /bench/baseline (one plain INSERT)', { ...post, paths: ['/bench/baseline'] });
    const postCases = await drive('POST /cases', { ...post, paths: ['/cases'] });
    const catchUpAfterPostCasesSeconds = await secondsToCatchUp(admin);
    progress(`  every consumer and relay caught up ${catchUpAfterPostCasesSeconds} s after POST /cases`);
    const baselineAfter = await drive('baseline again', { ...post, paths: ['/bench/baseline'] });

    const transition = await drive('POST /cases/:id/notes', {
      ...post,
      body: { text: 'Called the SHO, who confirmed the duty roster' },
      paths: caseIds.map((id) => `/cases/${id}/notes`),
    });
    const getCase = await drive('GET /cases/:id', {
      url: serviceUrls.violation,
      method: 'GET',
      tokens: investigator.tokens,
      paths: caseIds.map((id) => `/cases/${id}`),
    });
    const year = new Date().getUTCFullYear();
    const report = await drive('GET /reports/cases', {
      url: serviceUrls.reporting,
      method: 'GET',
      tokens: analyst.tokens,
      paths: [`/reports/cases?from=${year - 1}-01-01&to=${year + 1}-01-01`],
    });
    const catchUpSeconds = await secondsToCatchUp(admin);
    const consumerTrouble =
      (await metricTotal('conduct_consumer_crashes_total')) + (await metricTotal('conduct_consumer_dead_lettered_total')) - troubleBefore;
    progress(`every consumer and relay caught up ${catchUpSeconds} s after the run; consumer crashes and dead letters during it: ${consumerTrouble}`);

    const baseline = {
      requestsPerSec: round((baselineBefore.requestsPerSec + baselineAfter.requestsPerSec) / 2, 0),
      p50Ms: round((baselineBefore.p50Ms + baselineAfter.p50Ms) / 2, 1),
      p99Ms: Math.max(baselineBefore.p99Ms, baselineAfter.p99Ms),
      runs: [baselineBefore.requestsPerSec, baselineAfter.requestsPerSec],
    };
    console.log(
      JSON.stringify({
        postCases,
        transition,
        getCase,
        report,
        baseline,
        postCasesOfBaseline: round(postCases.requestsPerSec / baseline.requestsPerSec, 2),
        catchUpAfterPostCasesSeconds,
        catchUpSeconds,
        consumerTrouble,
        connections,
        durationSeconds,
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
