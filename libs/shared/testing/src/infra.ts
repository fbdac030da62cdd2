/**
 * Where the integration and end-to-end tests find PostgreSQL and Kafka. The environment names
 * them (scripts/test.sh starts local ones and exports these); jest-global-setup.js falls back to
 * Testcontainers when a Docker engine exists, and otherwise stops with instructions.
 */
export interface TestInfrastructure {
  /** Server-level URL without a database name, e.g. postgres://postgres@127.0.0.1:5432 */
  postgresUrl: string;
  kafkaBrokers: string[];
}

export function testInfrastructure(): TestInfrastructure {
  const postgresUrl = process.env['CONDUCT_POSTGRES_URL'];
  const brokers = process.env['KAFKA_BROKERS'];
  if (!postgresUrl || !brokers) {
    throw new Error(
      'Integration tests need CONDUCT_POSTGRES_URL and KAFKA_BROKERS. Run them through `npm test` ' +
        '(which starts PostgreSQL and Kafka), or start them with `npm run infra:up` and export the ' +
        'variables it prints.',
    );
  }
  return { postgresUrl: postgresUrl.replace(/\/+$/, ''), kafkaBrokers: brokers.split(',').map((b) => b.trim()) };
}
