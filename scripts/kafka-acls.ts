/**
 * Grants each Conduct service the Kafka ACLs of its own user (libs/shared/messaging/src/kafka-acls.ts):
 * write its own topic, read what it consumes, write those topics' dead letters, read its groups.
 *   KAFKA_BROKERS=... KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=admin KAFKA_SASL_PASSWORD=... \
 *     npm run kafka:acls -- [--group-prefix conduct] [--user violation-service=svc-violation ...]
 * Connects as a super user (the admin's credentials, as the services read theirs). Each service's user
 * is its name unless --user maps it; granting twice changes nothing.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { ConductService, grantServiceAcls, SERVICE_TOPICS } from '../libs/shared/messaging/src/kafka-acls';
import { kafkaSecurityFromEnv } from '../libs/shared/config/src/service-config';

const USAGE = 'usage: npm run kafka:acls -- [--group-prefix <prefix>] [--user <service>=<kafka user> ...]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'group-prefix': { type: 'string' }, user: { type: 'string', multiple: true } }, strict: true });
  const services = Object.keys(SERVICE_TOPICS) as ConductService[];
  const principals = Object.fromEntries(services.map((service) => [service, service])) as Record<ConductService, string>;
  for (const mapping of values.user ?? []) {
    const [service, user] = mapping.split('=');
    if (!services.includes(service as ConductService) || !user)
      throw new Error(`--user ${mapping}: expected <service>=<user>, service one of ${services.join(', ')}`);
    principals[service as ConductService] = user;
  }
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const admin = new Kafka({
    clientId: 'conduct-kafka-acls',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    ...kafkaSecurityFromEnv(),
  }).admin();
  await admin.connect();
  try {
    const granted = await grantServiceAcls(admin, principals, values['group-prefix']);
    for (const service of services)
      process.stdout.write(
        `${service}: User:${principals[service]}, ${granted.filter((acl) => acl.principal === `User:${principals[service]}`).length} ACLs\n`,
      );
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka:acls: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
