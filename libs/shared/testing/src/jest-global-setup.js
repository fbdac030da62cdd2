// Runs once before the integration and end-to-end projects. It only checks that the
// infrastructure is named; the Testcontainers fallback lives in ./containers.js.
module.exports = async function globalSetup() {
  if (process.env.CONDUCT_POSTGRES_URL && process.env.KAFKA_BROKERS) return;
  const { startContainersIfDockerExists } = require('./containers.js');
  const started = await startContainersIfDockerExists();
  if (started) return;
  throw new Error(
    'Integration tests need PostgreSQL and Kafka. Run `npm test` (it starts both on this machine), ' +
      'or export CONDUCT_POSTGRES_URL=postgres://user@host:port and KAFKA_BROKERS=host:port, ' +
      'or run where a Docker engine is available so Testcontainers can start them.',
  );
};
