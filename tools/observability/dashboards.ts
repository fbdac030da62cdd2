/**
 * The Grafana dashboards shipped in deploy/observability/dashboards/: one per service and one for
 * the whole flow, generated from the panels below so that the five stay alike.
 *
 *   npm run dashboards          writes the JSON files (a unit test fails when they are not current)
 *
 * Every metric a panel names must be in a scrape of the running services: an end-to-end test
 * checks it (takedown-notice-delivery.e2e-spec.ts), since Grafana itself cannot run here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Unit = 'short' | 's' | 'reqps' | 'ops' | 'bytes' | 'percentunit' | 'none';

interface Panel {
  title: string;
  description: string;
  /** PromQL, each with the legend of its series. */
  queries: { expr: string; legend: string }[];
  unit: Unit;
}

export const SERVICE_JOBS = {
  'approval-service': 'conduct-approval-service',
  'violation-service': 'conduct-violation-service',
  'notification-service': 'conduct-notification-service',
  'reporting-service': 'conduct-reporting-service',
} as const;
export type DashboardService = keyof typeof SERVICE_JOBS;

const panel = (title: string, description: string, unit: Unit, ...queries: [expr: string, legend: string][]): Panel => ({
  title,
  description,
  unit,
  queries: queries.map(([expr, legend]) => ({ expr, legend })),
});

/** RED per route, readiness and the process: every service has them. */
const servicePanels = (job: string): Panel[] => {
  const http = `conduct_http_request_duration_seconds`;
  return [
    panel('Requests by route', 'Rate of HTTP requests, by route pattern', 'reqps', [
      `sum by (route) (rate(${http}_count{job="${job}"}[5m]))`,
      '{{route}}',
    ]),
    panel('Errors by route', 'Rate of 5xx answers, by route pattern (4xx are the callers’ mistakes)', 'reqps', [
      `sum by (route) (rate(${http}_count{job="${job}", status=~"5.."}[5m]))`,
      '{{route}}',
    ]),
    panel('Latency p99 by route', '99th percentile of request duration', 's', [
      `histogram_quantile(0.99, sum by (route, le) (rate(${http}_bucket{job="${job}"}[5m])))`,
      '{{route}}',
    ]),
    panel(
      'Readiness',
      '1 ready, 0 not (database down or draining); changes counted apart',
      'short',
      [`conduct_ready{job="${job}"}`, '{{instance}}'],
      [`increase(conduct_readiness_changes_total{job="${job}"}[15m])`, 'changes in 15 min, {{instance}}'],
    ),
    panel(
      'Process',
      'CPU (cores) and event-loop delay p99',
      's',
      [`rate(process_cpu_seconds_total{job="${job}"}[5m])`, 'CPU {{instance}}'],
      [`nodejs_eventloop_lag_p99_seconds{job="${job}"}`, 'event loop p99 {{instance}}'],
    ),
    panel('Memory', 'Resident memory', 'bytes', [`process_resident_memory_bytes{job="${job}"}`, '{{instance}}']),
  ];
};

/** What a service that publishes events has: its outbox relay. */
const relayPanels = (job: string): Panel[] => [
  panel('Relay lag', 'Committed events not yet published to Kafka, measured on a timer; grows while Kafka does not take them', 'short', [
    `conduct_relay_lag_events{job="${job}"}`,
    '{{relay}} {{instance}}',
  ]),
  panel(
    'Relay publishing',
    'Events published per second, and failed relay cycles',
    'ops',
    [`sum by (topic) (rate(conduct_relay_published_total{job="${job}"}[5m]))`, '{{topic}}'],
    [`sum(rate(conduct_relay_failures_total{job="${job}"}[5m]))`, 'failed cycles'],
  ),
];

/** What a service that consumes has: lag per group (each replica measures the whole group), outcomes, dead letters. */
const consumerPanels = (job: string): Panel[] => [
  panel('Consumer lag', 'Messages after each group’s committed offset, measured from Kafka on a timer', 'short', [
    `sum by (group) (max by (group, topic, partition) (conduct_consumer_lag_messages{job="${job}"}))`,
    '{{group}}',
  ]),
  panel('Messages applied', 'Messages taken off Kafka, by consumer and outcome', 'ops', [
    `sum by (consumer, outcome) (rate(conduct_consumer_processed_total{job="${job}"}[5m]))`,
    '{{consumer}} {{outcome}}',
  ]),
  panel(
    'Dead letters',
    'Messages held in the dead-letter topics (re-driven ones included), and those this service moved there',
    'short',
    [`max by (topic) (conduct_dead_letter_messages{job="${job}"})`, '{{topic}}'],
    [`sum by (topic) (increase(conduct_consumer_dead_lettered_total{job="${job}"}[1h]))`, 'moved in 1 h from {{topic}}'],
  ),
];

/** Watchers and dispatchers: time since each last finished a run, and the backlog each should empty. */
const dueWorkPanels = (job: string): Panel[] => [
  panel('Since the last successful run', 'Per periodic task; the alert fires past 3 intervals + 1 min', 's', [
    `time() - conduct_periodic_run_last_success_timestamp_seconds{job="${job}"}`,
    '{{task}} {{instance}}',
  ]),
  panel(
    'Backlogs',
    'Items due and not done, and how long the oldest has been due (measured on a timer)',
    'short',
    [`max by (backlog) (conduct_backlog_items{job="${job}"})`, '{{backlog}} items'],
    [`max by (backlog) (conduct_backlog_oldest_age_seconds{job="${job}"})`, '{{backlog}} oldest (s)'],
  ),
];

const notificationPanels = (job: string): Panel[] => [
  panel('Notice sends', 'Attempts to hand a notice to the mail server, by outcome', 'ops', [
    `sum by (outcome) (rate(conduct_notice_send_attempts_total{job="${job}"}[5m]))`,
    '{{outcome}}',
  ]),
  panel('Webhook POSTs by subscription', 'One target per subscription; failed means no 2xx answer', 'ops', [
    `sum by (subscription, outcome) (rate(conduct_webhook_attempts_total{job="${job}"}[5m]))`,
    '{{subscription}} {{outcome}}',
  ]),
  panel('Notices nobody could receive', 'Notices not queued: no directory entry for the audience', 'short', [
    `sum by (kind, role) (increase(conduct_notices_unresolved_total{job="${job}"}[1h]))`,
    '{{kind}} → {{role}}',
  ]),
];

const reportingPanels = (job: string): Panel[] => [
  panel('Read-model generation', 'The generation each replica answers from (a rebuild switches to the next)', 'none', [
    `conduct_read_model_generation{job="${job}"}`,
    '{{instance}}',
  ]),
];

const PANELS_OF: Record<DashboardService, (job: string) => Panel[]> = {
  'approval-service': (job) => [...servicePanels(job), ...relayPanels(job), ...consumerPanels(job), ...dueWorkPanels(job)],
  'violation-service': (job) => [...servicePanels(job), ...relayPanels(job), ...consumerPanels(job), ...dueWorkPanels(job)],
  'notification-service': (job) => [
    ...servicePanels(job),
    ...relayPanels(job),
    ...consumerPanels(job),
    ...dueWorkPanels(job),
    ...notificationPanels(job),
  ],
  'reporting-service': (job) => [...servicePanels(job), ...consumerPanels(job), ...reportingPanels(job)],
};

const ALL = 'job=~"conduct-.+"';

/** A command's way through the system: accepted, published, applied everywhere, its notices and deliveries sent. */
const flowPanels: Panel[] = [
  panel('Commands accepted', 'POST answers below 400, by service', 'reqps', [
    `sum by (job) (rate(conduct_http_request_duration_seconds_count{${ALL}, method="POST", status=~"[23].."}[5m]))`,
    '{{job}}',
  ]),
  panel('Relay lag', 'Events committed and not yet on Kafka, by service', 'short', [
    `max by (relay) (conduct_relay_lag_events{${ALL}})`,
    '{{relay}}',
  ]),
  panel('Consumer lag', 'Every consumer group of every service', 'short', [
    `sum by (group) (max by (group, topic, partition) (conduct_consumer_lag_messages{${ALL}}))`,
    '{{group}}',
  ]),
  panel('Lag measured', 'Seconds since each group’s lag was measured: grows while Kafka does not answer', 's', [
    `time() - max by (group) (conduct_consumer_lag_measured_timestamp_seconds{${ALL}})`,
    '{{group}}',
  ]),
  panel('Dead letters', 'Held in each dead-letter topic', 'short', [`max by (topic) (conduct_dead_letter_messages{${ALL}})`, '{{topic}}']),
  panel('Backlogs, oldest item', 'How long the oldest notice, delivery, deadline or expiry has waited', 's', [
    `max by (backlog) (conduct_backlog_oldest_age_seconds{${ALL}})`,
    '{{backlog}}',
  ]),
  panel('Watchers and dispatchers', 'Seconds since each last finished a run', 's', [
    `max by (task) (time() - conduct_periodic_run_last_success_timestamp_seconds{${ALL}})`,
    '{{task}}',
  ]),
  panel(
    'Notices and webhooks',
    'Sends and POSTs by outcome',
    'ops',
    [`sum by (outcome) (rate(conduct_notice_send_attempts_total{${ALL}}[5m]))`, 'notices {{outcome}}'],
    [`sum by (outcome) (rate(conduct_webhook_attempts_total{${ALL}}[5m]))`, 'webhooks {{outcome}}'],
  ),
  panel('Readiness', 'Replicas ready, by service', 'short', [`sum by (job) (conduct_ready{${ALL}})`, '{{job}}']),
];

/** A Grafana dashboard (schema 39) of timeseries panels, two to a row, on a Prometheus data source chosen at import. */
function dashboard(uid: string, title: string, panels: Panel[]): object {
  return {
    uid,
    title,
    tags: ['conduct'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    panels: panels.map((spec, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: spec.title,
      description: spec.description,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
      targets: spec.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        datasource: { type: 'prometheus', uid: '${datasource}' },
        expr: query.expr,
        legendFormat: query.legend,
      })),
    })),
  };
}

/** File name (in deploy/observability/dashboards/) → dashboard. */
export function dashboards(): Record<string, object> {
  const files: Record<string, object> = { 'flow.json': dashboard('conduct-flow', 'Conduct: the whole flow', flowPanels) };
  for (const [service, job] of Object.entries(SERVICE_JOBS) as [DashboardService, string][])
    files[`${service}.json`] = dashboard(`conduct-${service}`, `Conduct: ${service}`, PANELS_OF[service](job));
  return files;
}

export const DASHBOARDS_DIR = join(__dirname, '..', '..', 'deploy', 'observability', 'dashboards');
export const dashboardText = (content: object): string => `${JSON.stringify(content, null, 2)}\n`;

if (require.main === module) {
  for (const [file, content] of Object.entries(dashboards())) {
    writeFileSync(join(DASHBOARDS_DIR, file), dashboardText(content));
    console.log(`wrote deploy/observability/dashboards/${file}`);
  }
}
