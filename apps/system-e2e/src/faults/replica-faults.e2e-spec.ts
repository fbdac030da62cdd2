import { RunningSystem, SERVICES, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres, SmtpCatcher, startWebhookReceiver, WebhookReceiver } from '@conduct/testing';
import { CLEAN, FaultDriver, mailTo, onDatabase, settledReport } from './fault-driver';

jest.setTimeout(600_000);

const KILL_EVERY_MS = 20_000;
const RUN_MS = 120_000;

/*
 * Scenario 6 of the faults issue: two replicas of every service started at the same moment on
 * fresh databases (their migrations must not race), then every 20 s for two minutes one replica of
 * each service killed with kill -9 and started again, while commands come in across the replicas:
 * cases with overdue takedown notices (both replicas' deadline watchers find them due), notes, and
 * approvals granted for a few seconds (both replicas' expiry watchers find them due). Each missed
 * deadline and each expiry is recorded exactly once; each notice reaches the mail catcher once and
 * each webhook delivery the receiver once; nothing is lost or applied twice.
 */
describe('faults: two replicas of every service, one of each killed every 20 s', () => {
  let postgres: OwnPostgres;
  let kafka: OwnKafka;
  let mail: SmtpCatcher;
  let receiver: WebhookReceiver;
  let system: RunningSystem;
  let driver: FaultDriver;
  let accountId: string;

  beforeAll(async () => {
    [postgres, kafka, mail, receiver] = await Promise.all([OwnPostgres.start(), OwnKafka.start(), SmtpCatcher.start(), startWebhookReceiver()]);
    system = await startSystem({
      replicas: 2,
      infrastructure: { postgresUrl: postgres.url, kafkaBrokers: kafka.brokers },
      env: { TAKEDOWN_WATCH_INTERVAL_MS: '500', APPROVAL_EXPIRY_INTERVAL_MS: '500', ...mailTo(mail) },
    });
    driver = new FaultDriver(system);
    accountId = await driver.registerAccount();
    await driver.subscribe(receiver.url, ['ViolationReported', 'TakedownNoticeIssued', 'TakedownDeadlineMissed', 'ApprovalExpired']);
  }, 400_000);
  afterAll(async () => {
    await system?.stop();
    await Promise.all([kafka?.destroy(), postgres?.destroy(), mail?.close(), receiver?.close()]);
  }, 120_000);

  it('records every deadline and expiry once, sends every notice and delivery once, and loses nothing while replicas die', async () => {
    const { overdue, granted } = driver;
    const started = Date.now();
    const traffic = driver.mixedTraffic(accountId, 2, () => Date.now() - started >= RUN_MS);
    // Every 20 s, one replica of each service killed and started again (alternating 1 and 0).
    const kills: string[] = [];
    for (let tick = 1; tick * KILL_EVERY_MS < RUN_MS; tick++) {
      await new Promise((resolve) => setTimeout(resolve, started + tick * KILL_EVERY_MS - Date.now()));
      const replica = tick % 2;
      await Promise.all(
        SERVICES.map(async (service) => {
          system.signal(service, replica, 'SIGKILL');
          await system.exited(service, replica);
          kills.push(`${service}#${replica}`);
          await system.restart(service, replica);
        }),
      );
    }
    await traffic;
    console.log(
      `replica kills: ${kills.length}; accepted ${driver.accepted.length} cases, ${overdue.length} overdue notices, ${granted.length} approvals; refused ${driver.refused.length}`,
    );
    expect(kills).toHaveLength(5 * SERVICES.length);
    // Commands to a replica being killed fail until it is back; most are accepted.
    expect(driver.accepted.length).toBeGreaterThan(60);
    expect(granted.length).toBeGreaterThan(10);

    expect(await settledReport(system, kafka.brokers, { mail, receiver, rebuild: true })).toEqual(CLEAN);
    const once = async (service: 'violation-service' | 'approval-service', type: string) =>
      onDatabase(
        system,
        service,
        async (client) =>
          (
            await client.query<{ stream_id: string; n: number }>(
              `SELECT stream_id, count(*)::int AS n FROM events WHERE type = $1 GROUP BY stream_id ORDER BY stream_id`,
              [type],
            )
          ).rows,
      );
    const streams = (rows: { stream_id: string }[]) => rows.map((row) => row.stream_id);
    // A replica killed after its commit but before its answer leaves the driver not knowing a notice
    // was served or a grant made: what the services recorded is the reference, and every
    // acknowledged command is in it.
    const served = streams(await once('violation-service', 'TakedownNoticeIssued'));
    expect(served).toEqual(expect.arrayContaining(overdue));
    const missed = await once('violation-service', 'TakedownDeadlineMissed');
    expect(streams(missed)).toEqual(served);
    expect(missed.filter((row) => row.n !== 1)).toEqual([]);
    const grants = streams(await once('approval-service', 'ApprovalGranted'));
    expect(grants).toEqual(expect.arrayContaining(granted));
    const expired = await once('approval-service', 'ApprovalExpired');
    expect(streams(expired)).toEqual(grants);
    expect(expired.filter((row) => row.n !== 1)).toEqual([]);
    // The deadlines and expiries above reached the integration, each once (the effects check counts the rest).
    const deliveredTypes = receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type);
    expect(deliveredTypes.filter((type) => type === 'TakedownDeadlineMissed').length).toBeGreaterThanOrEqual(overdue.length);
    expect(deliveredTypes.filter((type) => type === 'ApprovalExpired').length).toBeGreaterThanOrEqual(granted.length);
    expect(mail.mails.length).toBeGreaterThan(overdue.length);
  });
});
