import { RunningSystem, SERVICES, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres } from '@conduct/testing';
import { CLEAN, FaultDriver, settledReport } from './fault-driver';

jest.setTimeout(400_000);

/*
 * Scenario 12 of the faults issue: Kafka as a three-node KRaft cluster (replication factor 3,
 * min.insync.replicas 2, producers with acks=all). The broker leading the cases topic's first
 * partition is killed with kill -9 while investigators keep reporting cases, and brought back ten
 * seconds later. Every command is accepted, nothing is lost or applied twice, the read models equal
 * a rebuild, no service process died on the way and no consumer had to rejoin as a new member.
 */
describe('faults: a broker of a three-node Kafka cluster killed under load', () => {
  let postgres: OwnPostgres;
  let kafka: OwnKafka;
  let system: RunningSystem;
  let driver: FaultDriver;

  beforeAll(async () => {
    [postgres, kafka] = await Promise.all([OwnPostgres.start(), OwnKafka.start({ nodes: 3 })]);
    system = await startSystem({ infrastructure: { postgresUrl: postgres.url, kafkaBrokers: kafka.brokers } });
    driver = new FaultDriver(system);
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await Promise.all([kafka?.destroy(), postgres?.destroy()]);
  }, 120_000);

  it('scenario 12: kill -9 of a leading broker and its return lose nothing, double nothing and restart no service', async () => {
    const traffic = driver.steady(10, 30);
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const node = await kafka.leaderOf('conduct.cases.v1');
    kafka.signal('SIGKILL', node);
    await kafka.exited(node);
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await kafka.restart();
    const backAt = Date.now();
    await traffic;

    expect(driver.refused).toEqual([]);
    expect(driver.accepted).toHaveLength(300);
    expect(await settledReport(system, kafka.brokers, { rebuild: true })).toEqual(CLEAN);
    console.log(`broker node ${node} killed: back after ${Math.round((backAt - killedAt) / 1000)} s; system settled ${Math.round((Date.now() - backAt) / 1000)} s after its return (rebuild included)`);
    for (const service of SERVICES) {
      expect({ service, running: system.running(service, 0) }).toEqual({ service, running: true });
      // Every consumer rode out the failover as the same group member: a crash would have made the
      // group wait a whole session (10 s) for the old member while nothing was delivered.
      const metrics = await (await fetch(`${system.url(service)}/metrics`)).text();
      expect({ service, crashes: metrics.split('\n').filter((line) => line.startsWith('conduct_consumer_crashes_total{')) }).toEqual({ service, crashes: [] });
    }
  });
});
