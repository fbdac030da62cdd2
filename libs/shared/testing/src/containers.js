// Testcontainers fallback for the integration and e2e tests (used by jest-global-setup.js when the
// environment names no PostgreSQL / Kafka): if a Docker engine answers, start PostgreSQL 15 and
// Kafka 3.9 (KRaft), create the service databases and the topics, and export the variables the
// tests read. Without an engine it answers false at once, so the caller can print its instructions.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const POSTGRES_IMAGE = 'postgres:15';
// Confluent Platform 7.9 is Apache Kafka 3.9, the line scripts/infra/kafka.sh runs; the Testcontainers
// Kafka module drives Confluent's image (KRaft from 7.4 on).
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.1';
const SERVICE_DATABASES = ['conduct_approval', 'conduct_violation', 'conduct_notification', 'conduct_reporting'];
const REPO_ROOT = path.resolve(__dirname, '../../../..');

const started = [];

async function dockerEngineAnswers() {
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startPostgres() {
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE).withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
  started.push(container);
  const url = `postgres://postgres:postgres@${container.getHost()}:${container.getPort()}`;

  const { Client } = require('pg');
  const client = new Client({ connectionString: `${url}/postgres` });
  await client.connect();
  try {
    for (const database of SERVICE_DATABASES) await client.query(`create database ${database}`);
  } finally {
    await client.end();
  }
  return url;
}

async function startKafka() {
  const { KafkaContainer } = require('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE)
    .withKraft()
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '1' })
    .start();
  started.push(container);
  // The module's client listener is 9093 inside the container.
  const brokers = `${container.getHost()}:${container.getMappedPort(9093)}`;

  // Same topic list and waiting as `npm run infra:up` (scripts/infra/create-topics.ts).
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/infra/create-topics.ts', '--wait-seconds', '60'], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAFKA_BROKERS: brokers },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`creating the topics on ${brokers} failed`);
  return brokers;
}

/** Stops the containers this module started (Testcontainers' reaper also removes them at exit). */
exports.stopContainers = async function stopContainers() {
  const containers = started.splice(0);
  await Promise.allSettled(containers.map((container) => container.stop()));
};

/** Starts PostgreSQL and Kafka when a Docker engine answers; false (quickly) when none does. */
exports.startContainersIfDockerExists = async function startContainersIfDockerExists() {
  if (!(await dockerEngineAnswers())) return false;
  console.log('\n[containers] starting PostgreSQL and Kafka with Testcontainers');
  // Both in parallel; wait for both even when one fails, so that nothing is left running.
  const [postgres, kafka] = await Promise.allSettled([startPostgres(), startKafka()]);
  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    await exports.stopContainers();
    throw postgres.status === 'rejected' ? postgres.reason : kafka.reason;
  }
  process.env.CONDUCT_POSTGRES_URL = postgres.value;
  process.env.KAFKA_BROKERS = kafka.value;
  // Jest ends its process when the run is over; stop the containers then rather than leaving them
  // to the reaper. (A globalTeardown calling stopContainers() would be the explicit form.)
  process.once('beforeExit', () => void exports.stopContainers());
  console.log(`[containers] CONDUCT_POSTGRES_URL=${process.env.CONDUCT_POSTGRES_URL} KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
  return true;
};
