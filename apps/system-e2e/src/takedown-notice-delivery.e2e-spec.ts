import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { verifyWebhookSignature, WebhookHeaders } from '@conduct/notifications-contracts';
import { RunningSystem, ServiceName, SERVICES, startSystem } from '@conduct/service-testing';
import { eventually, OtlpReceiver, SmtpCatcher, startOtlpReceiver, startWebhookReceiver, WebhookReceiver } from '@conduct/testing';

/**
 * A takedown notice served in violation-service reaches the people and the integrations concerned:
 * the officer's mailbox (from the recipient directory's seed file, in the officer's language), the
 * station's supervisor, and an integration's webhook receiver, which verifies the signature as
 * docs/webhooks.md tells it to. Four real service processes; a real SMTP listener and a real HTTP
 * receiver on loopback; driven only over HTTP.
 */
describe('a takedown notice reaches the mailboxes and the webhook subscribers', () => {
  let system: RunningSystem;
  let mail: SmtpCatcher;
  let receiver: WebhookReceiver;
  let traces: OtlpReceiver;
  let caseId: string;
  const scope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
  const secret = 'whsec_ZTJlLXdlYmhvb2stc2VjcmV0LW9mLTMyLWJ5dGVzIQ==';

  beforeAll(async () => {
    mail = await SmtpCatcher.start();
    receiver = await startWebhookReceiver();
    traces = await startOtlpReceiver();
    system = await startSystem({
      env: {
        SMTP_URL: mail.url,
        RECIPIENTS_SEED_FILE: 'config/recipients.seed.json',
        DISPATCH_INTERVAL_MS: '100',
        // Tracing on, as an operator turns it on: spans to an OTLP/HTTP receiver.
        OTEL_EXPORTER_OTLP_ENDPOINT: traces.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    await receiver?.close();
    await traces?.close();
  }, 60_000);

  const call = async (service: 'violation-service' | 'notification-service', path: string, token: string, body?: object) => {
    const response = await fetch(`${system.url(service)}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('mails the officer and the supervisor with the due date and the clause, and POSTs a signed envelope', async () => {
    const integration = system.token({ subject: 'ia-dashboard', roles: ['INTEGRATION'], scope: { province: 'sindh' } });
    const investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope });
    const subscribed = await call('notification-service', '/webhooks/subscriptions', integration, {
      targetUrl: receiver.url,
      eventTypes: ['TakedownNoticeIssued'],
      secret,
    });
    expect(subscribed.status).toBe(201);

    const reported = await call('violation-service', '/cases', investigator, {
      officer: { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' },
      jurisdiction: { ...scope, unitId: 'ps-clifton' },
      platform: 'tiktok',
      contentUrl: 'https://www.tiktok.com/@imran.ali/video/2',
      conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
      evidence: {
        sha256: createHash('sha256').update('captured video 2').digest('hex'),
        capturedAt: new Date().toISOString(),
        archiveLocation: 's3://evidence/2',
      },
      clauses: ['SND-1'],
      observedAt: new Date(Date.now() - 3_600_000).toISOString(),
      becameKnownAt: new Date().toISOString(),
      onDuty: true,
      description: 'Video filmed in uniform inside the station',
    });
    expect(reported.status).toBe(201);
    caseId = reported.body['caseId'] as string;
    const notice = await call('violation-service', `/cases/${caseId}/takedown-notices`, investigator, {});
    expect(notice.status).toBe(201);
    const noticeId = notice.body['noticeId'] as string;

    // The officer's own directory entry (Urdu) and the station's supervisor (English), from the seed file.
    const officerMail = await mail.waitFor('imran.ali@sindhpolice.local', (m) => m.text.includes(noticeId), 30_000);
    expect(officerMail.text).toContain('SND-1');
    expect(officerMail.text).toContain('https://www.tiktok.com/@imran.ali/video/2');
    expect(officerMail.subject).toMatch(/[\u0600-\u06FF]/);
    const supervisorMail = await mail.waitFor('sho.clifton@sindhpolice.local', (m) => m.text.includes(noticeId), 30_000);
    expect(supervisorMail.subject).toMatch(/^Takedown notice: remove the content by \d{4}-\d{2}-\d{2} \d{2}:\d{2} PKT$/);
    expect(supervisorMail.html).toContain('SND-1');

    const delivered = await eventually(
      () => receiver.received.find((request) => (JSON.parse(request.body) as { data: { noticeId?: string } }).data.noticeId === noticeId),
      { timeoutMs: 30_000, what: 'the webhook POST of TakedownNoticeIssued' },
    );
    const envelope = JSON.parse(delivered.body) as { type: string; streamId: string; data: { dueAt: string } };
    expect(envelope).toMatchObject({ type: 'TakedownNoticeIssued', streamId: caseId });
    expect(delivered.headers[WebhookHeaders.eventType]).toBe('TakedownNoticeIssued');
    const id = delivered.headers[WebhookHeaders.id] as string;
    const timestamp = delivered.headers[WebhookHeaders.timestamp] as string;
    const signature = delivered.headers[WebhookHeaders.signature] as string;
    expect(verifyWebhookSignature({ secret, body: delivered.body, id, timestamp, signature })).toMatchObject({ valid: true });
    expect(
      verifyWebhookSignature({ secret: 'whsec_d3Jvbmctc2VjcmV0LW9mLTMyLWJ5dGVzLWxvbmch', body: delivered.body, id, timestamp, signature }),
    ).toMatchObject({ valid: false });

    // The audit log shows both notices as sent, for the case.
    const log = await eventually(
      async () => {
        const page = await call('notification-service', `/notifications?caseId=${caseId}`, investigator);
        const items = (page.body['items'] ?? []) as { status: string }[];
        return items.filter((item) => item.status === 'sent').length >= 2 ? items : undefined;
      },
      { timeoutMs: 20_000, what: 'the sent notices in the audit log' },
    );
    expect(log.length).toBeGreaterThanOrEqual(2);

    // What the operators see of it: one notice sent per recipient, one webhook POST delivered.
    const scrape = await metricsOf('notification-service');
    expect(sampleSum(scrape, 'conduct_notice_send_attempts_total', 'outcome="sent"')).toBeGreaterThanOrEqual(2);
    expect(sampleSum(scrape, 'conduct_webhook_attempts_total', 'outcome="delivered"')).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('follows a command in one trace: the request, the append, the publish, each service that applied it, and the mails and webhook POSTs it caused', async () => {
    const ofCase = (name: string) => traces.spans.find((span) => span.name === name && span.attributes['conduct.stream.id'] === caseId);
    const request = await eventually(
      () =>
        traces.spans.find(
          (span) => span.name === 'POST /cases' && span.service === 'violation-service' && span.attributes['http.response.status_code'] === 201,
        ),
      { timeoutMs: 20_000, what: 'the span of POST /cases' },
    );
    const trail = await eventually(
      () => {
        const publish = ofCase('publish conduct.cases.v1');
        const applied = traces.spans.filter(
          (span) =>
            span.name.startsWith('apply ') &&
            span.attributes['conduct.stream.id'] === caseId &&
            span.attributes['conduct.event.type'] === 'ViolationReported',
        );
        const services = new Set(applied.map((span) => span.service));
        return publish && services.has('reporting-service') && services.has('notification-service') ? { publish, applied } : undefined;
      },
      { timeoutMs: 20_000, what: 'the publish and apply spans of the report' },
    );
    // The report's first request created the trace; the relay published under it, later, from the
    // context stored with the event; each consumer applied under the publish, from the Kafka header.
    const reportTrace = trail.publish.traceId;
    const reportRequest = traces.spans.find((span) => span.traceId === reportTrace && span.name === 'POST /cases');
    expect(reportRequest).toMatchObject({ service: 'violation-service', parentSpanId: undefined });
    expect(request.traceId === reportTrace || traces.spans.some((span) => span.name === 'POST /cases' && span.traceId === reportTrace)).toBe(true);
    // The request appended the events under its own span; the publish continues from that append.
    const append = traces.spans.find((span) => span.traceId === reportTrace && span.name === 'append case');
    expect(append).toMatchObject({ service: 'violation-service', parentSpanId: reportRequest!.spanId });
    expect(append!.attributes).toMatchObject({ 'conduct.stream.id': caseId, 'conduct.outcome': 'appended' });
    expect(trail.publish).toMatchObject({ service: 'violation-service', parentSpanId: append!.spanId });
    for (const apply of trail.applied) expect(apply).toMatchObject({ traceId: reportTrace, parentSpanId: trail.publish.spanId });
    expect(trail.applied.map((span) => span.service)).toEqual(
      expect.arrayContaining(['reporting-service', 'notification-service', 'violation-service']),
    );

    // The takedown notice's trace goes on past the consumers: each mail and the webhook POST that
    // notification-service sent later continue the apply that queued them.
    const noticeRequest = await eventually(() => traces.spans.find((span) => span.name === 'POST /cases/:caseId/takedown-notices'), {
      timeoutMs: 20_000,
      what: 'the span of POST /cases/:caseId/takedown-notices',
    });
    const sends = await eventually(
      () => {
        const inTrace = traces.spans.filter((span) => span.traceId === noticeRequest.traceId);
        const mails = inTrace.filter((span) => span.name === 'send notice takedown-notice');
        const posts = inTrace.filter((span) => span.name === 'deliver webhook');
        return mails.length >= 2 && posts.length >= 1 ? { inTrace, mails, posts } : undefined;
      },
      { timeoutMs: 20_000, what: 'the notice and webhook sends in the trace of the notice' },
    );
    const applies = new Set(sends.inTrace.filter((span) => span.name.startsWith('apply ')).map((span) => span.spanId));
    for (const send of [...sends.mails, ...sends.posts]) {
      expect(send).toMatchObject({ service: 'notification-service', attributes: expect.objectContaining({ 'conduct.outcome': expect.any(String) }) });
      expect(applies.has(send.parentSpanId!)).toBe(true);
    }
    expect(sends.posts[0]!.attributes).toMatchObject({ 'conduct.outcome': 'delivered', 'http.response.status_code': 204 });
  });

  /*
   * Grafana cannot run here: instead, every metric a shipped dashboard panel or alert rule names
   * must be in a scrape of the running services (a renamed metric would leave a panel blank and an
   * alert silent). A service's own dashboard is held to that service's scrape.
   */
  it('exposes every metric that the shipped dashboards and alert rules name', async () => {
    const scrapes = Object.fromEntries(
      await Promise.all(SERVICES.map(async (service) => [service, exposedNames(await metricsOf(service))] as const)),
    );
    const everywhere = new Set(Object.values(scrapes).flatMap((names) => [...names]));
    const missing: string[] = [];
    const check = (file: string, names: Set<string>) => {
      for (const name of namedIn(readFileSync(join(OBSERVABILITY, file), 'utf8'))) if (!names.has(name)) missing.push(`${file}: ${name}`);
    };
    check('alerts.yml', everywhere);
    check('dashboards/flow.json', everywhere);
    for (const service of SERVICES) check(`dashboards/${service}.json`, scrapes[service]!);
    expect(missing).toEqual([]);
    // The check sees something: each file names metrics, and the alert rules name the backlogs and watchers.
    expect([...namedIn(readFileSync(join(OBSERVABILITY, 'alerts.yml'), 'utf8'))]).toEqual(
      expect.arrayContaining(['conduct_backlog_oldest_age_seconds', 'conduct_periodic_run_last_success_timestamp_seconds']),
    );
  });

  it('brings legacy cases in without a mail, a reminder or a webhook to anyone (npm run import:cases)', async () => {
    const integration = system.token({ subject: 'ia-archive', roles: ['INTEGRATION'], scope: {} });
    const types = ['ViolationReported', 'TakedownNoticeIssued', 'TakedownDeadlineMissed', 'CaseEscalated', 'FindingRecorded', 'SanctionImposed'];
    const subscribed = await call('notification-service', '/webhooks/subscriptions', integration, {
      targetUrl: receiver.url,
      eventTypes: [...types, 'ShowCauseNoticeIssued', 'CaseClosed'],
      secret,
    });
    expect(subscribed.status).toBe(201);
    // The example file, its legacy case numbers this run's own (the topics outlive a run).
    const run = createHash('sha256').update(String(Date.now())).digest('hex').slice(0, 8);
    const file = join(tmpdir(), `legacy-${run}.csv`);
    writeFileSync(file, readFileSync(join(REPO, 'docs', 'import-example.csv'), 'utf8').replaceAll(/(KS|LHR|KE)\/(\d{4})\//g, `$1/$2/${run}-`));
    const imported = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/violation-service/src/import-cases/import-cases.cli.ts', file], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: system.databaseUrl('violation-service') },
      encoding: 'utf8',
    });
    expect({ status: imported.status, stderr: imported.stderr }).toMatchObject({ status: 0 });
    const report = JSON.parse(imported.stdout.trim().split('\n').at(-1)!) as { imported: { caseId: string; events: number }[] };
    const caseIds = report.imported.map((row) => row.caseId);
    expect(report.imported.map((row) => row.events)).toEqual([7, 10, 4]);

    const violation = new Client({ connectionString: system.databaseUrl('violation-service') });
    const notification = new Client({ connectionString: system.databaseUrl('notification-service') });
    await violation.connect();
    await notification.connect();
    try {
      const events = await violation.query<{ event_id: string; stream_id: string; stream_version: number }>(
        'SELECT event_id, stream_id, stream_version FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version',
        [caseIds],
      );
      expect(events.rows).toHaveLength(21);
      // Each case's last event, applied (or skipped) by the consumer that mails and the one that calls
      // webhooks: a stream's events are applied in order, so every earlier one was too.
      const lastIds = caseIds.map((caseId) => events.rows.filter((row) => row.stream_id === caseId).at(-1)!.event_id);
      await eventually(
        async () => {
          const { rows } = await notification.query<{ consumer: string; n: number }>(
            `SELECT consumer, count(*)::int AS n FROM inbox WHERE event_id = ANY($1) GROUP BY consumer`,
            [lastIds],
          );
          const applied = Object.fromEntries(rows.map((row) => [row.consumer, row.n]));
          if (applied['notices-cases'] === 3 && applied['webhook-fanout'] === 3) return applied;
          throw new Error(`the inbox holds ${JSON.stringify(applied)} of the cases' last events`);
        },
        { timeoutMs: 60_000, what: 'notification-service applying the imported events' },
      );
      const queued = await notification.query(`SELECT kind FROM pending_notices WHERE case_id = ANY($1)`, [caseIds]);
      const deliveries = await notification.query(`SELECT event_type FROM webhook_deliveries WHERE case_id = ANY($1)`, [caseIds]);
      expect({ notices: queued.rows, deliveries: deliveries.rows }).toEqual({ notices: [], deliveries: [] });
    } finally {
      await violation.end();
      await notification.end();
    }
    const mentioning = (text: string) => caseIds.some((caseId) => text.includes(caseId));
    expect(mail.mails.filter((m) => mentioning(m.text) || mentioning(m.html)).map((m) => m.subject)).toEqual([]);
    expect(receiver.received.filter((request) => mentioning(request.body))).toEqual([]);
  }, 120_000);

  const metricsOf = async (service: ServiceName): Promise<string> => {
    const response = await fetch(`${system.url(service)}/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  };
});

const REPO = join(__dirname, '..', '..', '..');
const OBSERVABILITY = join(REPO, 'deploy', 'observability');

/** Metric names in a dashboard or a rule file (label names and PromQL functions never start so). */
const namedIn = (text: string): Set<string> => new Set(text.match(/\b(?:conduct|process|nodejs)_[a-z0-9_]+\b/g) ?? []);

/** Names in a Prometheus scrape: every sample's, and every declared metric's, a histogram's series included. */
function exposedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const line of scrape.split('\n')) {
    const declared = /^# TYPE (\S+) (\w+)/.exec(line);
    if (declared) {
      names.add(declared[1]!);
      if (declared[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${declared[1]!}${suffix}`);
    } else if (line && !line.startsWith('#')) names.add(line.split(/[{ ]/)[0]!);
  }
  return names;
}

/** The sum of a metric's samples whose labels contain `label` (e.g. `outcome="sent"`). */
const sampleSum = (scrape: string, name: string, label: string): number =>
  scrape
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
