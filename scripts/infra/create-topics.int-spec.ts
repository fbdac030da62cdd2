import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigResourceTypes } from 'kafkajs';
import { allTopics, TOPIC_CONFIG } from '@conduct/messaging';
import { testInfrastructure, testKafka } from '@conduct/testing';

const repoRoot = join(__dirname, '..', '..');

/** What the broker says each Conduct topic is configured with, for the settings of TOPIC_CONFIG. */
async function topicSettings(): Promise<Record<string, Record<string, string>>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: allTopics().map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: Object.keys(TOPIC_CONFIG) })),
    });
    return Object.fromEntries(
      resources.map((resource) => [
        resource.resourceName,
        Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue])),
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

it('gives every topic, new or already there, the settings of TOPIC_CONFIG (history kept forever)', async () => {
  // The topics exist already (the test run's infrastructure made them): this is the "already there" path.
  await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/infra/create-topics.ts', '--wait-seconds', '20'], {
    cwd: repoRoot,
    env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
  });
  const settings = await topicSettings();
  for (const topic of allTopics()) expect(settings[topic]).toEqual({ 'retention.ms': '-1' });
});
