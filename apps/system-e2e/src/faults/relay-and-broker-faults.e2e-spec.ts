import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { createTransport } from 'nodemailer';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres, SmtpCatcher, startWebhookReceiver, WebhookReceiver, rewriteEventsAsOwner } from '@conduct/testing';
import { CLEAN, FaultDriver, fullReport, mailTo, onDatabase as onServiceDatabase, ReportOptions, settledReport, SystemReport } from './fault-driver';

jest.setTimeout(300_000);

/*
 * Faults on a system of its own (own PostgreSQL cluster, own Kafka broker, four service processes):
 * the invariant checker proven on planted defects, then the broker frozen under commands and the
 * violation-service killed with kill -9 while its relay publishes the backlog.
 */
describe('faults: the invariant checker, a frozen broker and a killed relay', () => {
  let postgres: OwnPostgres;
  let kafka: OwnKafka;
  let system: RunningSystem;
  let driver: FaultDriver;
  let mail: SmtpCatcher;
  let receiver: WebhookReceiver;

  const check = (options?: ReportOptions): Promise<SystemReport> => fullReport(system, kafka.brokers, { mail, receiver, ...options });
  const clean = CLEAN;
  const settled = (options?: ReportOptions): Promise<SystemReport> => settledReport(system, kafka.brokers, { mail, receiver, ...options });
  const onDatabase = <T>(service: Parameters<RunningSystem['databaseUrl']>[0], work: (client: Client) => Promise<T>): Promise<T> =>
    onServiceDatabase(system, service, work);

  beforeAll(async () => {
    [postgres, kafka, mail, receiver] = await Promise.all([OwnPostgres.start(), OwnKafka.start(), SmtpCatcher.start(), startWebhookReceiver()]);
    system = await startSystem({
      infrastructure: { postgresUrl: postgres.url, kafkaBrokers: kafka.brokers },
      env: { TAKEDOWN_WATCH_INTERVAL_MS: '1000', ...mailTo(mail) },
    });
    driver = new FaultDriver(system);
    await driver.subscribe(receiver.url, ['ViolationReported', 'TakedownNoticeIssued']);
    for (let i = 0; i < 10; i++) await driver.reportCase();
    await Promise.all(driver.accepted.slice(0, 5).map((caseId) => driver.addNotes(caseId, 3)));
    // Takedown notices: mails to the station (officers and supervisor) and webhook deliveries.
    for (const caseId of driver.accepted.slice(5, 8)) await driver.serveNotice(caseId, 1);
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await Promise.all([kafka?.destroy(), postgres?.destroy(), mail?.close(), receiver?.close()]);
  }, 120_000);

  it('finds nothing wrong with a healthy system, and each planted defect', async () => {
    expect(await settled()).toEqual(clean);

    // An inbox row deleted: the event counts as never applied by that consumer.
    const [lost] = await onDatabase(
      'violation-service',
      async (client) =>
        (
          await client.query<{
            event_id: string;
            type: string;
            stream_id: string;
            stream_version: number;
            topic: string;
            partition: number;
            offset: string;
          }>(
            `DELETE FROM inbox WHERE ctid = (SELECT ctid FROM inbox WHERE consumer = 'cases-list' AND type = 'NoteAdded' LIMIT 1) RETURNING event_id::text, type, stream_id, stream_version, topic, partition, "offset"::text`,
          )
        ).rows,
    );
    expect((await check()).lostEvents).toEqual([expect.stringContaining(`violation-service/cases-list: NoteAdded ${lost!.event_id}`)]);
    await onDatabase('violation-service', (client) =>
      client.query(
        `INSERT INTO inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset") VALUES ('cases-list', $1, $2, $3, $4, $5, $6, $7)`,
        [lost!.event_id, lost!.type, lost!.stream_id, lost!.stream_version, lost!.topic, lost!.partition, lost!.offset],
      ),
    );

    // A read-model row moved on twice (an event applied twice): the list no longer stands where its stream does.
    const [twice] = await onDatabase(
      'violation-service',
      async (client) =>
        (
          await client.query<{ case_id: string }>(
            `UPDATE cases_list SET version = version + 1 WHERE case_id = (SELECT case_id FROM cases_list LIMIT 1) RETURNING case_id`,
          )
        ).rows,
    );
    expect((await check()).readModelMismatches).toEqual([expect.stringContaining(`cases_list ${twice!.case_id}`)]);
    await onDatabase('violation-service', (client) =>
      client.query(`UPDATE cases_list SET version = version - 1 WHERE case_id = $1`, [twice!.case_id]),
    );

    // An event edited in the store: its chain no longer verifies.
    await onDatabase('violation-service', (client) =>
      rewriteEventsAsOwner(
        client,
        `UPDATE events SET data = data || '{"text": "edited"}' WHERE position = (SELECT min(position) FROM events WHERE type = 'NoteAdded')`,
      ),
    );
    expect((await check()).brokenChains).toEqual([expect.stringContaining('hash does not match')]);
    await onDatabase('violation-service', (client) =>
      rewriteEventsAsOwner(
        client,
        `UPDATE events SET data = data || '{"text": "note 0"}' WHERE position = (SELECT min(position) FROM events WHERE type = 'NoteAdded')`,
      ),
    );

    // A dead letter nobody fed.
    const producer = new Kafka({ clientId: 'fault-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'conduct.cases.v1.dlq', messages: [{ value: 'planted' }] });
    await producer.disconnect();
    expect((await check()).unexpectedDeadLetters).toEqual(['conduct.cases.v1.dlq: 1 messages, 0 fed by the scenario']);
    const fed = { deadLettersFed: { 'conduct.cases.v1.dlq': 1 } };
    expect(await check(fed)).toEqual(clean);

    // Mail: a resend with the notice's own Message-ID folds into one mail; another Message-ID is a second mail.
    expect(mail.mails.length).toBeGreaterThanOrEqual(6); // three notices, two station mailboxes each
    const notice = mail.mails[0]!;
    const noticeId = String(notice.headers.get('x-conduct-notification-id'));
    const smtp = createTransport({ url: mail.url });
    const resend = async (messageId: string): Promise<void> => {
      await smtp.sendMail({
        from: notice.from,
        to: notice.to,
        subject: notice.subject,
        text: notice.text,
        messageId,
        headers: { 'X-Conduct-Notification-Id': noticeId },
      });
    };
    await resend(notice.messageId);
    expect(await check(fed)).toEqual(clean);
    await resend('<another@notifications.conduct>');
    expect((await check(fed)).duplicateEffects).toEqual([expect.stringContaining(`notice ${noticeId}: 2 different mails`)]);
    mail.mails.splice(-2);
    // A notice the audit log calls sent, whose mail never arrived.
    const removed = mail.mails.splice(mail.mails.indexOf(notice), 1);
    expect((await check(fed)).lostEffects).toEqual([`notice ${noticeId}: sent, but no mail arrived`]);
    mail.mails.push(...removed);

    // Webhooks: a redelivery with the same webhook-id folds; a request nobody queued does not.
    const delivered = receiver.received[0]!;
    const signed = Object.entries(delivered.headers).filter(
      ([name]) => name.startsWith('webhook-') || name.startsWith('conduct-') || name === 'content-type',
    );
    const post = (id: string) =>
      fetch(receiver.url, { method: 'POST', headers: { ...Object.fromEntries(signed), 'webhook-id': id }, body: delivered.body });
    await post(String(delivered.headers['webhook-id']));
    expect(await check(fed)).toEqual(clean);
    await post('00000000-0000-4000-8000-000000000001');
    expect((await check(fed)).duplicateEffects).toEqual([expect.stringContaining('a webhook request (id "00000000-0000-4000-8000-000000000001"')]);
    receiver.received.splice(-2);
    const missing = receiver.received.splice(0, 1);
    expect((await check(fed)).lostEffects).toEqual([expect.stringMatching(/^webhook delivery .*: delivered, but the receiver never got it$/)]);
    receiver.received.unshift(...missing);
    expect(await check(fed)).toEqual(clean);
  });

  it('takes commands while the broker is frozen, and loses and doubles nothing when the relay is killed publishing the backlog', async () => {
    const before = driver.accepted.length;
    kafka.signal('SIGSTOP');
    const frozenAt = Date.now();
    await driver.steady(10, 5);
    expect(driver.accepted.length - before).toBe(50); // every command accepted while Kafka was frozen
    await onDatabase('violation-service', async (client) => {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_type = 'case'`);
      expect(rows[0]!.n).toBeGreaterThanOrEqual(before + 50);
    });
    kafka.signal('SIGCONT');
    // The relay resumes the backlog; kill it in the middle of that, then start it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    system.signal('violation-service', 0, 'SIGKILL');
    await system.exited('violation-service', 0);
    const restartedAt = Date.now();
    await system.restart('violation-service', 0);
    console.log(
      `frozen broker: ${Math.round((restartedAt - frozenAt) / 1000)} s from freeze to restart; violation-service ready again in ${Date.now() - restartedAt} ms`,
    );

    expect(await settled({ deadLettersFed: { 'conduct.cases.v1.dlq': 1 }, rebuild: true })).toEqual(clean);
  });

  // Scenario 11: SIGTERM under load. Readiness turns 503 first, requests in flight finish, no
  // client sees a 5xx, and the process is gone within 10 s.
  it('drains on SIGTERM under load: readiness 503 first, no 5xx, in-flight requests finish, exit within 10 s', async () => {
    const base = system.url('violation-service');
    const investigator = system.token({
      subject: 'ia-rashid',
      roles: ['IA_INVESTIGATOR'],
      scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' },
    });
    const statuses: number[] = [];
    const readiness: number[] = [];
    let running = true;
    const load = Array.from({ length: 8 }, async () => {
      while (running) {
        try {
          // No keep-alive: a request must not race the server closing an idle connection under it.
          const response = await fetch(`${base}/cases/00000000-0000-4000-8000-000000000000/events`, {
            headers: { authorization: `Bearer ${investigator}`, connection: 'close' },
          });
          statuses.push(response.status);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20)); // refused: the server has closed
        }
      }
    });
    const probe = (async () => {
      while (running) {
        try {
          readiness.push((await fetch(`${base}/health/ready`, { headers: { connection: 'close' } })).status);
        } catch {
          // closed
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const servedBefore = statuses.length;
    const sigterm = Date.now();
    system.signal('violation-service', 0, 'SIGTERM');
    const exit = await system.exited('violation-service', 0);
    const exitMs = Date.now() - sigterm;
    running = false;
    await Promise.all([...load, probe]);
    console.log(
      `SIGTERM under load: exit ${JSON.stringify(exit)} after ${exitMs} ms; ${statuses.length} requests answered (${servedBefore} before the signal)`,
    );

    expect(exitMs).toBeLessThan(10_000);
    expect(servedBefore).toBeGreaterThan(0);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([404])); // an unknown case, answered every time
    expect(readiness).toContain(503);
    expect(readiness.indexOf(503)).toBeGreaterThan(readiness.lastIndexOf(200)); // once draining, never ready again

    await system.restart('violation-service', 0);
    expect(await settled({ deadLettersFed: { 'conduct.cases.v1.dlq': 1 } })).toEqual(clean);
  });
});
