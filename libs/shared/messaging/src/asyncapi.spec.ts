import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { verifyChain } from '@conduct/event-store';
import { parse } from 'yaml';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { EnvelopeHeaders } from './headers';
import { ANCHORS_TOPIC, deadLetterTopic, Topics } from './topics';
import { validateEnvelope } from './validation';

const documentText = readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8');

interface EventExample {
  name: string;
  headers: Record<string, string>;
  payload: EventEnvelope;
}
interface RawDocument {
  components: {
    schemas: { EventEnvelope: { required: string[]; properties: Record<string, unknown> } };
    messages: { ApprovalRequested: { examples: EventExample[] } };
  };
}
const raw = parse(documentText) as RawDocument;
// The parser's diagnostics carry another copy of @stoplight/types' enum: compare as numbers.
const ERROR_SEVERITY: number = DiagnosticSeverity.Error;
const [example] = raw.components.messages.ApprovalRequested.examples;

/** Every example of a message that travels as an event envelope (the ConductEvent trait). */
const eventExamples = Object.entries(raw.components.messages as Record<string, { traits?: { $ref: string }[]; examples?: EventExample[] }>)
  .filter(([, message]) => message.traits?.some((trait) => trait.$ref === '#/components/messageTraits/ConductEvent'))
  .flatMap(([type, message]) => (message.examples ?? []).map((shown) => ({ type, ...shown })));

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI document with a channel for every topic and its dead letters', async () => {
    const { document, diagnostics } = await new Parser().parse(documentText);

    const errors = diagnostics.filter((diagnostic) => Number(diagnostic.severity) === ERROR_SEVERITY);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    const addresses = document!
      .channels()
      .all()
      .map((channel) => channel.address());
    for (const topic of Object.values(Topics)) {
      expect(addresses).toContain(topic);
      expect(addresses).toContain(deadLetterTopic(topic));
    }
    expect(addresses).toContain(ANCHORS_TOPIC);
  });

  it('shows an ApprovalRequested example that our consumers accept and whose hash verifies', async () => {
    expect(example).toBeDefined();
    const envelope = example!.payload;

    expect(await validateEnvelope(envelope)).toMatchObject({ valid: true });
    expect(verifyChain([envelope as EventEnvelope & { metadata: object }])).toEqual({ intact: true, eventsChecked: 1 });
    expect(toKafkaMessage(envelope).headers).toEqual(example!.headers);
    expect(Object.keys(example!.headers).sort()).toEqual(Object.values(EnvelopeHeaders).sort());
  });

  it('shows only event examples that our consumers accept, with their headers, in hash chains that verify', async () => {
    expect(eventExamples.length).toBeGreaterThan(1);
    for (const { type, name, headers, payload } of eventExamples) {
      expect({ type, name, validation: await validateEnvelope(payload) }).toMatchObject({ type, name, validation: { valid: true } });
      expect({ type, name, headers: toKafkaMessage(payload).headers }).toEqual({ type, name, headers });
    }
    // Examples of one stream must chain in version order; a stream shown from a later version
    // starts from its first example's prevHash, which is taken on trust.
    const streams = new Map<string, (EventEnvelope & { metadata: object })[]>();
    for (const { payload } of eventExamples) {
      streams.set(payload.streamId, [...(streams.get(payload.streamId) ?? []), payload as EventEnvelope & { metadata: object }]);
    }
    for (const [streamId, envelopes] of streams) {
      envelopes.sort((a, b) => a.streamVersion - b.streamVersion);
      expect({ streamId, verification: verifyChain(envelopes) }).toEqual({
        streamId,
        verification: { intact: true, eventsChecked: envelopes.length },
      });
    }
  });

  it('marks as required exactly the envelope fields the EventEnvelope class requires', async () => {
    const schema = raw.components.schemas.EventEnvelope;
    const envelope = example!.payload as unknown as Record<string, unknown>;

    for (const field of Object.keys(schema.properties)) {
      const { [field]: _removed, ...without } = envelope;
      const result = await validateEnvelope(without);
      expect({ field, valid: result.valid }).toEqual({ field, valid: !schema.required.includes(field) });
    }
  });
});
