/**
 * `npm run dlq -- <command>`: the dead letters of the Conduct topics.
 *   list [--topic conduct.cases.v1]   every parked message: id, type, consumer, reason
 *   show <id>                          one message in full (headers and value)
 *   redrive <id>                       publish it again on its original topic, once its cause is fixed
 * KAFKA_BROKERS names the cluster (default 127.0.0.1:9092). Ids look like conduct.cases.v1.dlq/3/17.
 */
import { Kafka, logLevel } from 'kafkajs';
// Relative imports: a tool outside the Nx projects.
import { parseDeadLetterId, readDeadLetters, redriveDeadLetter } from '../libs/shared/messaging/src/dead-letters';
import { EnvelopeHeaders } from '../libs/shared/messaging/src/headers';
import { Topics } from '../libs/shared/messaging/src/topics';
import { kafkaSecurityFromEnv } from '../libs/shared/config/src/service-config';

const USAGE = 'usage: npm run dlq -- list [--topic <topic>] | show <id> | redrive <id>';

async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const kafka = new Kafka({ clientId: 'conduct-dlq', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 }, ...kafkaSecurityFromEnv() });
  const topicIndex = rest.indexOf('--topic');
  const topics = topicIndex >= 0 ? [rest[topicIndex + 1] ?? ''] : Object.values(Topics);
  switch (command) {
    case 'list': {
      const letters = await readDeadLetters(kafka, topics);
      if (letters.length === 0) console.log(`no dead letters in ${topics.map((topic) => `${topic}.dlq`).join(', ')}`);
      for (const letter of letters) {
        console.log(
          `${letter.id}\t${letter.headers[EnvelopeHeaders.eventType] ?? '-'}\t${letter.consumer}\tfrom ${letter.original.topic}/${letter.original.partition}/${letter.original.offset}\t${letter.reason.slice(0, 160)}`,
        );
      }
      console.log(`${letters.length} dead letter(s)`);
      return;
    }
    case 'show':
    case 'redrive': {
      const id = rest[0];
      if (!id) throw new Error(USAGE);
      const { topic } = parseDeadLetterId(id);
      const letter = (await readDeadLetters(kafka, [topic.replace(/\.dlq$/, '')])).find((candidate) => candidate.id === id);
      if (!letter) throw new Error(`no dead letter ${id}`);
      if (command === 'show') {
        console.log(JSON.stringify({ ...letter, value: parseJson(letter.value) }, null, 2));
        return;
      }
      const sent = await redriveDeadLetter(kafka, letter);
      console.log(`re-driven ${id} to ${sent.topic}/${sent.partition}/${sent.offset}`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

function parseJson(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
