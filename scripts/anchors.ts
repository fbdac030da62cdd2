/**
 * `npm run anchors -- <publish|verify> <service>`: the anchored chain heads of a service's event
 * store (docs/security.md, "Anchored chain heads").
 *   publish   compute the Merkle root of every stream head now and publish it on conduct.anchors.v1
 *             with the heads changed since the last anchor (the service does so every
 *             ANCHOR_INTERVAL_MS by itself); --full sends every head (after a restore of the
 *             service's database, so that reporting-service's copy of the heads matches again)
 *   verify    check the store against the latest anchor on conduct.anchors.v1: every chain it
 *             covered recomputed, and the root of their heads; and every stored event against the
 *             copy published on Kafka, which lists those whose hash differs (`rewritten`)
 *   list      print every anchor the service published, oldest first, one JSON line each (no
 *             database needed): what a dossier's anchor is compared with
 *   <service> approval-service, violation-service or notification-service
 * DATABASE_URL names the service's database (default $CONDUCT_POSTGRES_URL/conduct_<name>);
 * KAFKA_BROKERS (default 127.0.0.1:9092). Progress goes to stderr; the last line of stdout is the
 * anchor or the verification as JSON. Exit status 1 when verify finds the store does not match,
 * 2 on a usage or connection error, or when there is no anchor yet.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
// Relative imports: a tool outside the Nx projects.
import { verifyAgainstAnchor } from '../libs/shared/event-store/src/chain-anchors';
import { anchorStore, eventsDifferingFromPublished, latestAnchor, publishedAnchors } from '../libs/shared/messaging/src/chain-anchors';
import { SERVICE_TOPICS } from '../libs/shared/messaging/src/kafka-acls';
import { kafkaSecurityFromEnv } from '../libs/shared/config/src/service-config';

const SERVICES = ['approval-service', 'violation-service', 'notification-service'] as const;
type Service = (typeof SERVICES)[number];
const isService = (name: string | undefined): name is Service => SERVICES.includes(name as Service);
const COMMANDS = ['publish', 'verify', 'list'];

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { full: { type: 'boolean', default: false } } });
  const [command, service] = positionals;
  if (!command || !COMMANDS.includes(command) || !isService(service) || positionals.length > 2 || (values.full && command !== 'publish')) {
    console.error(`usage: npm run anchors -- <${COMMANDS.join('|')}> <${SERVICES.join('|')}> [--full (publish)]`);
    return 2;
  }
  const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const databaseUrl = process.env['DATABASE_URL'] ?? `${server}/conduct_${service.replace(/-service$/, '')}`;
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const kafka = new Kafka({ clientId: 'conduct-anchors', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 }, ...kafkaSecurityFromEnv() });
  if (command === 'list') {
    const anchors = await publishedAnchors(kafka, service, { groupPrefix: 'conduct-anchors' });
    for (const anchor of anchors) console.log(JSON.stringify(anchor));
    console.error(`[anchors] ${anchors.length} anchors of ${service}`);
    return 0;
  }
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    if (command === 'publish') {
      const anchor = await anchorStore(pool, kafka, service, new Date(), { full: values.full });
      console.error(
        `[anchors] published the root ${anchor.root} of ${anchor.streams} streams (${anchor.events} events) of ${service}, with ${anchor.heads.changed} heads`,
      );
      console.log(JSON.stringify(anchor));
      return 0;
    }
    const anchor = await latestAnchor(kafka, service, { groupPrefix: 'conduct-anchors' });
    if (!anchor) {
      console.error(`[anchors] ${service} has published no anchor yet: npm run anchors -- publish ${service}`);
      return 2;
    }
    console.error(`[anchors] checking ${service} against its anchor of ${anchor.anchoredAt} (${anchor.streams} streams, ${anchor.events} events)`);
    const verification = await verifyAgainstAnchor(pool, anchor);
    for (const broken of verification.brokenStreams)
      console.error(`[anchors] stream ${broken.streamId} is broken at version ${broken.streamVersion}: ${broken.reason}`);
    if (verification.root !== anchor.root)
      console.error(`[anchors] the heads give the root ${verification.root}, not the anchor's ${anchor.root}: a stream was rewritten`);
    // Kafka's copy is the second witness: it also catches a rewrite older than the anchor.
    console.error(`[anchors] comparing the stored events with the copies published on Kafka`);
    const rewritten = await eventsDifferingFromPublished(pool, kafka, SERVICE_TOPICS[service].writes);
    for (const event of rewritten)
      console.error(
        `[anchors] stream ${event.streamId} version ${event.streamVersion} (event ${event.eventId}) differs from the event published on Kafka`,
      );
    const intact = verification.intact && rewritten.length === 0;
    console.error(`[anchors] ${intact ? 'intact' : 'TAMPERED'}`);
    console.log(JSON.stringify({ ...verification, intact, rewritten }));
    return intact ? 0 : 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(`anchors failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
