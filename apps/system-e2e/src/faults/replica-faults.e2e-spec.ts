import { RunningSystem, ServiceName, SERVICES, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres } from '@conduct/testing';
import { CLEAN, FaultDriver, onDatabase, settledReport } from './fault-driver';

jest.setTimeout(600_000);

/*
 * Scenario 6 of the faults issue, in a shorter form: two replicas of every service started at the
 * same moment on fresh databases (their migrations must not race), then one replica of each
 * service killed with kill -9 in turn while commands come in across the replicas and both
 * replicas' watchers look for missed takedown deadlines. Each deadline is recorded exactly once,
 * and the invariant check holds.
 */
describe('faults: two replicas of every service, killed in turn', () => {
  let postgres: OwnPostgres;
  let kafka: OwnKafka;
  let system: RunningSystem;
  let driver: FaultDriver;
  const overdue: string[] = [];

  beforeAll(async () => {
    [postgres, kafka] = await Promise.all([OwnPostgres.start(), OwnKafka.start()]);
    system = await startSystem({ replicas: 2, infrastructure: { postgresUrl: postgres.url, kafkaBrokers: kafka.brokers }, env: { TAKEDOWN_WATCH_INTERVAL_MS: '500' } });
    driver = new FaultDriver(system);
  }, 400_000);
  afterAll(async () => {
    await system?.stop();
    await Promise.all([kafka?.destroy(), postgres?.destroy()]);
  }, 120_000);

  it('records every missed deadline once, loses nothing and doubles nothing while replicas die', async () => {
    const kills: string[] = [];
    const traffic = (async () => {
      for (let round = 0; round < 40; round++) {
        const replica = round % 2;
        const caseId = await driver.reportCase(replica);
        // Every other case gets a notice served ten days ago: both replicas' watchers find it due.
        if (caseId && round % 2 === 0 && (await driver.serveNotice(caseId, 10, replica))) overdue.push(caseId);
        if (caseId) await driver.addNotes(caseId, 2, replica);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    // One replica of each service killed in turn (replica 1: the driver's commands go to both).
    for (const service of SERVICES as readonly ServiceName[]) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      system.signal(service, 1, 'SIGKILL');
      await system.exited(service, 1);
      kills.push(service);
      await system.restart(service, 1);
    }
    await traffic;
    expect(kills).toHaveLength(4);
    // Commands to a replica being killed may fail; most are accepted.
    expect(driver.accepted.length).toBeGreaterThan(30);

    expect(await settledReport(system, kafka.brokers, { rebuild: true })).toEqual(CLEAN);
    const missed = await onDatabase(system, 'violation-service', async (client) =>
      (await client.query<{ stream_id: string; n: number }>(`SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'TakedownDeadlineMissed' GROUP BY stream_id`)).rows,
    );
    expect(missed.map((row) => row.stream_id).sort()).toEqual([...overdue].sort());
    expect(missed.every((row) => row.n === 1)).toBe(true);
  });
});
