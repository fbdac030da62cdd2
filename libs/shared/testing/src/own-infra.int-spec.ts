import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { OwnKafka, OwnPostgres } from './own-infra';

jest.setTimeout(120_000);

/** The fault harness's own infrastructure really starts, crashes and comes back. */
describe('own PostgreSQL and Kafka for fault tests', () => {
  it('restarts its PostgreSQL at once (-m immediate): a connection is cut, committed data stays', async () => {
    const postgres = await OwnPostgres.start();
    try {
      const client = new Client({ connectionString: `${postgres.url}/postgres` });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('CREATE TABLE kept (n int)');
      await client.query('INSERT INTO kept VALUES (1)');
      await postgres.restartImmediately();
      await expect(client.query('SELECT 1')).rejects.toThrow();
      await client.end().catch(() => undefined);

      const again = new Client({ connectionString: `${postgres.url}/postgres` });
      await again.connect();
      expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
      await again.end();
    } finally {
      await postgres.destroy();
    }
  });

  it('kills its broker with kill -9 and starts it again with its topics', async () => {
    const kafka = await OwnKafka.start();
    try {
      const client = new Kafka({ clientId: 'own-infra-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
      const admin = client.admin();
      await admin.connect();
      expect(await admin.listTopics()).toContain('conduct.cases.v1');
      await admin.disconnect();

      kafka.signal('SIGKILL');
      await kafka.restart();
      const after = client.admin();
      await after.connect();
      expect(await after.listTopics()).toContain('conduct.cases.v1');
      await after.disconnect();
    } finally {
      await kafka.destroy();
    }
  });
});
