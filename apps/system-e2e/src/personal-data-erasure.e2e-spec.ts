import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { verifyDossier } from '@conduct/dossier';
import { readTopicsToEnd } from '@conduct/messaging';
import { RunningSystem, SERVICES, startSystem } from '@conduct/service-testing';
import { eventually, pdfText, SmtpCatcher, startWebhookReceiver, testInfrastructure, WebhookReceiver } from '@conduct/testing';

/**
 * Erasure by crypto-shredding across the four services (docs/privacy.md): an officer's name and
 * address, sealed under their key from the report on, reach the mailbox, the timeline and a webhook
 * granted personal data in clear; after POST /people/:serviceNumber/erasure every read, the dossier
 * and a webhook sent again show `[erased]`, every chain still verifies, and no table of any
 * service, no topic and no dead-letter topic holds the name or the address. Real processes,
 * PostgreSQL, Kafka, SMTP and a webhook receiver, driven over HTTP.
 */
describe("an officer's personal data, erased", () => {
  let system: RunningSystem;
  let mail: SmtpCatcher;
  let receiver: WebhookReceiver;
  const run = randomBytes(4).toString('hex');
  const serviceNumber = `PDE-${run}`;
  const name = `Constable Nargis ${run}`;
  const email = `nargis.${run}@sindhpolice.local`;
  const scope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };

  beforeAll(async () => {
    mail = await SmtpCatcher.start();
    receiver = await startWebhookReceiver();
    system = await startSystem({
      env: { SMTP_URL: mail.url, RECIPIENTS_SEED_FILE: 'config/recipients.seed.json', DISPATCH_INTERVAL_MS: '100', WEBHOOK_RETRY_BASE_MS: '200' },
    });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    await receiver?.close();
  }, 60_000);

  const call = async (service: (typeof SERVICES)[number], method: string, path: string, token: string, body?: object) => {
    const response = await fetch(`${system.url(service)}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  /** Every table of every service database, and the keystore, whose rows hold `text`. */
  const tablesHolding = async (text: string): Promise<string[]> => {
    const found: string[] = [];
    const urls = [...SERVICES.map((service) => system.databaseUrl(service)), `${testInfrastructure().postgresUrl}/conduct_keys`];
    for (const url of urls) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const tables = await client.query<{ name: string }>(
          `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
        );
        for (const { name: table } of tables.rows) {
          const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`, [text]);
          if (Number(rows[0]!.n) > 0) found.push(`${url.split('/').pop()} ${table}`);
        }
      } finally {
        await client.end();
      }
    }
    return found.sort();
  };

  it('shows the name where it may be seen until the erasure, [erased] everywhere after, with every chain intact and the name stored nowhere', async () => {
    const admin = system.token({ subject: 'admin-hq', roles: ['ADMIN'], scope: {} });
    const investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope });
    const authority = system.token({ subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope });
    const integration = system.token({ subject: 'ia-dashboard', roles: ['INTEGRATION'], scope: { province: 'sindh' } });

    // The officer's own directory entry, and an integration granted personal data.
    expect(
      (
        await call('notification-service', 'POST', '/recipients', admin, {
          unitId: 'ps-clifton',
          role: 'OFFICER',
          serviceNumber,
          name,
          email,
          language: 'en',
        })
      ).status,
    ).toBe(201);
    const subscription = await call('notification-service', 'POST', '/webhooks/subscriptions', integration, {
      targetUrl: receiver.url,
      eventTypes: ['ViolationReported'],
      secret: 'whsec_ZTJlLXdlYmhvb2stc2VjcmV0LW9mLTMyLWJ5dGVzIQ==',
    });
    expect(subscription.status).toBe(201);
    const subscriptionId = subscription.body['subscriptionId'] as string;
    expect(
      (
        await call('notification-service', 'PUT', `/webhooks/subscriptions/${subscriptionId}/personal-data`, admin, {
          reason: 'The IA case-management system files letters to officers by name',
        })
      ).status,
    ).toBe(200);

    const reported = await call('violation-service', 'POST', '/cases', investigator, {
      officer: { serviceNumber, name, rank: 'Constable', unitId: 'ps-clifton' },
      jurisdiction: { ...scope, unitId: 'ps-clifton' },
      platform: 'tiktok',
      contentUrl: `https://www.tiktok.com/@nargis/video/${run}`,
      conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
      evidence: { sha256: 'c'.repeat(64), capturedAt: new Date().toISOString(), archiveLocation: 's3://evidence/pde' },
      clauses: ['SND-1'],
      observedAt: new Date(Date.now() - 3_600_000).toISOString(),
      becameKnownAt: new Date().toISOString(),
      onDuty: true,
      description: 'Video filmed in uniform inside the station',
    });
    expect(reported.status).toBe(201);
    const caseId = reported.body['caseId'] as string;
    const notice = await call('violation-service', 'POST', `/cases/${caseId}/takedown-notices`, investigator, {});
    expect(notice.status).toBe(201);

    // Before: the name in clear where it may be seen.
    const served = await mail.waitFor(email, (m) => m.text.includes(caseId) || m.text.includes(String(notice.body['noticeId'])), 30_000);
    expect(served.text).toContain(name);
    const webhook = await eventually(() => receiver.received.find((request) => request.body.includes(caseId)), {
      timeoutMs: 30_000,
      what: 'the webhook of ViolationReported',
    });
    expect((JSON.parse(webhook.body) as { data: { officer: { name: string } } }).data.officer.name).toBe(name);
    const timeline = await eventually(
      async () => {
        const answer = await call('reporting-service', 'GET', `/cases/${caseId}/timeline`, investigator);
        return answer.status === 200 && answer.text.includes('TakedownNoticeIssued') ? answer : undefined;
      },
      { timeoutMs: 30_000, what: 'the timeline in reporting-service' },
    );
    expect(timeline.text).toContain(name);
    // At rest, only the notification directory holds it in clear: the officer's own entry and its edits.
    const before = await tablesHolding(name);
    expect(before.map((table) => table.split(' ')[1])).toEqual(['public.recipient_edits', 'public.recipients']);

    // The case runs to its end; then the erasure.
    const noticeId = notice.body['noticeId'] as string;
    expect((await call('violation-service', 'POST', `/cases/${caseId}/takedown-notices/${noticeId}/removal`, investigator, {})).status).toBe(200);
    expect((await call('violation-service', 'POST', `/cases/${caseId}/investigator`, authority, { investigatorId: 'ia-rashid' })).status).toBe(200);
    const finding = await call('violation-service', 'POST', `/cases/${caseId}/findings`, investigator, {
      outcome: 'not-substantiated',
      reasons: ['Not the officer'],
    });
    expect(finding.status).toBe(201);
    expect((await call('violation-service', 'POST', `/cases/${caseId}/close`, authority, { reasons: ['Cleared'] })).status).toBe(200);
    const erased = await eventually(
      async () => {
        const answer = await call('violation-service', 'POST', `/people/${serviceNumber}/erasure`, admin, {
          reasons: ['The officer asked for erasure'],
        });
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 20_000, what: 'the erasure, once the closed case has left the open ones' },
    );
    expect(erased.body).toMatchObject({ serviceNumber, keysDeleted: 1 });

    // After: [erased] on every read, within the key cache's few seconds.
    const read = (await call('violation-service', 'GET', `/cases/${caseId}`, investigator)).body as {
      file: { report: { officer: { name: string } } };
    };
    expect(read.file.report.officer.name).toBe('[erased]');
    await eventually(
      async () => {
        const reads = await Promise.all([
          call('reporting-service', 'GET', `/cases/${caseId}/timeline`, investigator),
          call('reporting-service', 'GET', `/cases?officer=${serviceNumber}`, investigator),
          call('notification-service', 'GET', `/notifications?caseId=${caseId}`, investigator),
        ]);
        return reads.every(
          (answer) => answer.status === 200 && !answer.text.includes(name) && !answer.text.includes(email) && answer.text.includes('[erased]'),
        );
      },
      { timeoutMs: 20_000, what: 'the timeline, the cases list and the notices log to show [erased]' },
    );
    expect((await call('violation-service', 'GET', `/cases/${caseId}/verification`, authority)).body).toMatchObject({ intact: true });

    // The dossier: every envelope as hashed (sealed), intact; its board rendering names no one.
    const dossier = await fetch(`${system.url('reporting-service')}/cases/${caseId}/dossier`, {
      headers: { authorization: `Bearer ${investigator}` },
    });
    expect(dossier.status).toBe(200);
    const zip = new Uint8Array(await dossier.arrayBuffer());
    expect(verifyDossier(zip)).toMatchObject({ intact: true });
    expect(Buffer.from(zip).includes(name)).toBe(false);
    const pdf = await fetch(`${system.url('reporting-service')}/cases/${caseId}/dossier.pdf`, {
      headers: { authorization: `Bearer ${investigator}` },
    });
    const pages = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(pages).toContain('[erased]');
    expect(pages).toContain(serviceNumber);
    expect(pages).toContain('chain intact');
    expect(pages).not.toContain('tampered');
    expect(pages).not.toContain(name);

    // A webhook sent again after the erasure carries [erased].
    const deliveries = await call('notification-service', 'GET', `/webhooks/deliveries?caseId=${caseId}`, integration);
    const deliveryId = (deliveries.body['items'] as { deliveryId: string }[])[0]!.deliveryId;
    const sentBefore = receiver.received.length;
    expect((await call('notification-service', 'POST', `/webhooks/deliveries/${deliveryId}/redeliver`, integration)).status).toBe(202);
    const again = await eventually(() => receiver.received.slice(sentBefore).find((request) => request.body.includes(caseId)), {
      timeoutMs: 30_000,
      what: 'the webhook sent again',
    });
    expect((JSON.parse(again.body) as { data: { officer: { name: string } } }).data.officer.name).toBe('[erased]');

    // Nowhere at rest: no table of any service or the keystore, no topic, no dead letters.
    await eventually(async () => (await tablesHolding(name)).length === 0 && (await tablesHolding(email)).length === 0, {
      timeoutMs: 20_000,
      what: 'the directory entry gone',
    });
    const kafka = new Kafka({ clientId: 'e2e-erasure-scan', brokers: testInfrastructure().kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin$ = kafka.admin();
    await admin$.connect();
    const topics = (await admin$.listTopics()).filter((topic) => topic.startsWith('conduct.'));
    await admin$.disconnect();
    expect(topics.some((topic) => topic.includes('dlq'))).toBe(true);
    const holding = new Set<string>();
    await readTopicsToEnd(
      kafka,
      topics,
      (topic, _partition, message) => {
        const value = message.value?.toString() ?? '';
        if (value.includes(name) || value.includes(email)) holding.add(topic);
      },
      { groupPrefix: `e2e-erasure-scan-${run}`, timeoutMs: 120_000 },
    );
    expect([...holding]).toEqual([]);
  }, 240_000);
});
