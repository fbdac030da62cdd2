import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'yaml';
import { officialAccountContracts } from '@conduct/approvals-contracts';
import { officialAccountStreamId } from '@conduct/approvals-domain';
import { verifyChain } from '@conduct/event-store';
import { EventEnvelope, toKafkaMessage, validateEnvelope } from '@conduct/messaging';

interface Example {
  headers: Record<string, string>;
  payload: EventEnvelope;
}
interface Document {
  channels: { approvals: { messages: Record<string, { $ref: string }> } };
  components: {
    messages: Record<string, { examples: Example[] }>;
    schemas: Record<string, { required: string[]; properties: Record<string, unknown> }>;
  };
}

const doc = parse(readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8')) as Document;
const types = Object.keys(officialAccountContracts) as (keyof typeof officialAccountContracts)[];
const dataErrors = async (type: keyof typeof officialAccountContracts, data: object, strict: boolean) => {
  const contract: new () => object = officialAccountContracts[type].data;
  const errors = await validate(plainToInstance(contract, data), strict ? { whitelist: true, forbidNonWhitelisted: true } : {});
  return errors.map((error) => error.property);
};

describe('docs/asyncapi.yaml: official-account messages', () => {
  it.each(types)('documents %s on conduct.approvals.v1', (type) => {
    expect(doc.channels.approvals.messages[type]).toEqual({ $ref: `#/components/messages/${type}` });
  });

  it.each(types)('shows a %s example our consumers accept, declaring every field of its contract', async (type) => {
    const [example] = doc.components.messages[type]!.examples;
    expect(await validateEnvelope(example!.payload)).toMatchObject({ valid: true });
    expect(await dataErrors(type, example!.payload.data, true)).toEqual([]);
    expect(toKafkaMessage(example!.payload).headers).toEqual(example!.headers);
  });

  it.each(types)('marks as required exactly the %s data fields its contract class requires', async (type) => {
    const schema = doc.components.schemas[`${type}Data`]!;
    const [example] = doc.components.messages[type]!.examples;
    for (const field of Object.keys(schema.properties)) {
      const { [field]: _removed, ...without } = example!.payload.data;
      const valid = (await dataErrors(type, without, false)).length === 0;
      expect({ field, valid }).toEqual({ field, valid: !schema.required.includes(field) });
    }
  });

  it('chains the three examples into one verifiable stream of the account their platform and handle name', () => {
    const envelopes = types.map((type) => doc.components.messages[type]!.examples[0]!.payload);
    const { platform, handle } = envelopes[0]!.data as { platform: string; handle: string };
    expect(envelopes.map((envelope) => envelope.streamId)).toEqual(Array(3).fill(officialAccountStreamId(platform, handle)));
    expect(verifyChain(envelopes as (EventEnvelope & { metadata: object })[])).toEqual({ intact: true, eventsChecked: 3 });
  });
});
