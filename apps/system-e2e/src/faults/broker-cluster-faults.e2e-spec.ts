import { RunningSystem, SERVICES, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres } from '@conduct/testing';
import { CLEAN, FaultDriver, pause, settledReport } from './fault-driver';

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
    console.log(
      `broker node ${node} killed: back after ${Math.round((backAt - killedAt) / 1000)} s; system settled ${Math.round((Date.now() - backAt) / 1000)} s after its return (rebuild included)`,
    );
    for (const service of SERVICES) {
      expect({ service, running: system.running(service, 0) }).toEqual({ service, running: true });
      // Every consumer rode out the failover as the same group member: a crash would have made the
      // group wait a whole session (10 s) for the old member while nothing was delivered.
      const metrics = await (await fetch(`${system.url(service)}/metrics`)).text();
      expect({ service, crashes: metrics.split('\n').filter((line) => line.startsWith('conduct_consumer_crashes_total{')) }).toEqual({
        service,
        crashes: [],
      });
    }
  });

  it('scenario 4 on the cluster: with the coordinating broker frozen the flow goes on, and its return loses and doubles nothing', async () => {
    const acceptedBefore = driver.accepted.length;
    const traffic = driver.steady(10, 60);
    await pause(5000);
    // The broker that coordinates every consumer group (the leader of the one offsets partition):
    // the hardest one to lose, since kafkajs looks a coordinator up only when it joins.
    const node = await kafka.leaderOf('__consumer_offsets');
    kafka.signal('SIGSTOP', node);
    const frozenAt = Date.now();
    // Frozen, the broker keeps its connections open and answers nothing. The other two are a majority:
    // they fence it after 4 s and take over its partitions and groups, so cases reported all through
    // the freeze still cross the system: probes one after the other, each timed from its report.
    const crossings: number[] = [];
    while (Date.now() - frozenAt < 40_000) crossings.push(await driver.probe(Date.now(), 60_000));
    await pause(Math.max(0, 45_000 - (Date.now() - frozenAt)));
    kafka.signal('SIGCONT', node);
    const resumedAt = Date.now();
    await traffic;

    expect(driver.refused).toEqual([]);
    expect(driver.accepted.length - acceptedBefore).toBe(600 + crossings.length); // the steady traffic and the probes
    expect(await settledReport(system, kafka.brokers, { rebuild: true })).toEqual(CLEAN);
    console.log(
      `broker node ${node} frozen for ${Math.round((resumedAt - frozenAt) / 1000)} s: probe cases reached reporting-service after ${crossings.join(', ')} ms`,
    );
    // The first probe crosses while the broker is still frozen (it resumes 45 s in): the others took
    // over. It waits for the cluster to fence the broker (4 s), for a heartbeat to time out (up to
    // 3 + 5 s), for a coordinator lookup that may first try the frozen broker (5 s), for the group
    // to let the consumers back in as new members once their old sessions ran out (10 s), and for a
    // relay whose send hung to renew its producer (5 s): seen from 7 to 35 s over CI runs. Those
    // after it cross in about a second. (Static membership would spare the 10 s: see reliability.md.)
    expect(crossings[0]).toBeLessThan(40_000);
    expect(Math.max(...crossings.slice(1))).toBeLessThan(30_000);
    for (const service of SERVICES) expect({ service, running: system.running(service, 0) }).toEqual({ service, running: true });
  });
});
