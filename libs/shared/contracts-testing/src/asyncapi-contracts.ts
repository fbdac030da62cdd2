import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { plainToInstance } from 'class-transformer';
import { IS_OPTIONAL, MetadataStorage, ValidationTypes, getMetadataStorage, validate } from 'class-validator';
import { parse } from 'yaml';
import { ContractCatalogue, renderAsyncApi } from './asyncapi-document';

/**
 * The checks that docs/asyncapi.yaml documents a context's contracts: every contract has a message
 * on the context's topic whose `data` schema is the one generated from the contract class
 * (asyncapi-document.ts) and whose example the class accepts, and nothing else is documented on
 * the topic. (The envelopes and hash chains of the
 * examples are checked by libs/shared/messaging/src/asyncapi.spec.ts.)
 */

type Json = Record<string, unknown>;
type Contract = new () => object;
type Rule = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

const ENVELOPE_REF = '#/components/schemas/EventEnvelope';
const documentText = readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8');
const raw = parse(documentText) as Json;

/** Follows a local `$ref` ('#/components/schemas/X') through the raw document. */
function deref(node: unknown): Json {
  const { $ref } = node as { $ref?: string };
  if ($ref === undefined) return node as Json;
  return deref(
    $ref
      .slice(2)
      .split('/')
      .reduce<unknown>((parent, key) => (parent as Json)[key], raw),
  );
}

function channelAt(topic: string): Json {
  const channels = Object.values(raw['channels'] as Json).map(deref);
  const channel = channels.find((candidate) => candidate['address'] === topic);
  if (!channel) throw new Error(`no channel with address ${topic}`);
  return channel;
}

interface DocumentedMessage {
  message: Json;
  /** The second part of the payload's allOf (the first is the envelope): what this message pins on it. */
  pinned: { type: { const: string }; schemaVersion: { const: number }; streamType: { const: string } };
  dataSchema: Json;
  example: { headers: Record<string, string>; payload: { type: string; schemaVersion: number; streamType: string; data: Json } };
}

function documented(topic: string, type: string): DocumentedMessage {
  const ref = (channelAt(topic)['messages'] as Json)[type];
  if (ref === undefined) throw new Error(`${type} is a contract but has no message on ${topic} in docs/asyncapi.yaml`);
  const message = deref(ref);
  const [envelope, own] = ((message['payload'] as Json)['allOf'] ?? []) as Json[];
  const pinned = own?.['properties'] as Json | undefined;
  const [example] = (message['examples'] ?? []) as DocumentedMessage['example'][];
  if (envelope?.['$ref'] !== ENVELOPE_REF || !pinned || !example) {
    throw new Error(
      `${type}: expected a payload allOf [{ $ref: ${ENVELOPE_REF} }, { properties: { type, schemaVersion, streamType, data } }] and an example`,
    );
  }
  return { message, pinned: pinned as unknown as DocumentedMessage['pinned'], dataSchema: deref(pinned['data']), example };
}

const rulesOf = (contract: Contract): Rule[] => getMetadataStorage().getTargetValidationMetadatas(contract, '', true, false);
const ruleName = (rule: Rule): string => rule.name ?? rule.type;
// @IsOptional is a conditional validation too, one that holds whenever the value is present.
const isConditional = (rule: Rule): boolean => rule.type === ValidationTypes.CONDITIONAL_VALIDATION && ruleName(rule) !== IS_OPTIONAL;

/**
 * The properties the class declares (inherited ones included), those it always requires, and the
 * conditional ones (@ValidateIf): required only when their condition holds, e.g. a finding's clauses.
 */
function propertiesOf(contract: Contract): { all: string[]; required: string[]; conditional: Rule[] } {
  const rules = rulesOf(contract);
  const all = [...new Set(rules.map((rule) => rule.propertyName))];
  const conditional = rules.filter(isConditional);
  const optional = new Set([...rules.filter((rule) => ruleName(rule) === IS_OPTIONAL), ...conditional].map((rule) => rule.propertyName));
  return { all: all.sort(), required: all.filter((property) => !optional.has(property)).sort(), conditional };
}

/** Whether the class requires `field` of this (valid) data: always, or because its condition holds here. */
function requiredOf(contract: Contract, data: Json, field: string): boolean {
  const { required, conditional } = propertiesOf(contract);
  if (required.includes(field)) return true;
  const instance = plainToInstance(contract, data) as Json;
  return conditional
    .filter((rule) => rule.propertyName === field)
    .some((rule) => (rule.constraints[0] as (object: Json, value: unknown) => boolean)(instance, instance[field]));
}

async function dataProblems(contract: Contract, data: Json): Promise<string[]> {
  const errors = await validate(plainToInstance(contract, data), { forbidUnknownValues: true, whitelist: true, forbidNonWhitelisted: true });
  return errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ') || 'invalid nested value'}`);
}

/** The example docs/asyncapi.yaml shows for `type` on `topic`: an envelope with its data. */
export function documentedExample(topic: string, type: string): DocumentedMessage['example']['payload'] {
  return documented(topic, type).example.payload;
}

/**
 * Declares the specs proving that docs/asyncapi.yaml documents `contracts` on `topic`, all sent
 * by one operation of the publishing service. Call it at the top level of a spec file.
 */
export function describeAsyncApiContracts(topic: string, contracts: ContractCatalogue): void {
  const types = Object.keys(contracts);
  const contractOf = (type: string): Contract => contracts[type]!.data;
  const schemaVersionOf = (type: string): number => contracts[type]!.schemaVersion;

  describe(`docs/asyncapi.yaml documents every contract of ${topic}`, () => {
    it('is a valid AsyncAPI document', async () => {
      const { diagnostics } = await new Parser().parse(documentText);
      // The parser's diagnostics carry another copy of @stoplight/types' enum: compare as numbers.
      const errors = diagnostics.filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error));
      expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    });

    it(`has a message on ${topic} for exactly the contract types, all sent by the publishing service`, async () => {
      expect(Object.keys(channelAt(topic)['messages'] as Json).sort()).toEqual([...types].sort());

      const { document } = await new Parser().parse(documentText);
      const channel = document!
        .channels()
        .all()
        .find((candidate) => candidate.address() === topic)!;
      expect(
        channel
          .messages()
          .all()
          .map((message) => message.id())
          .sort(),
      ).toEqual([...types].sort());
      const sends = document!
        .operations()
        .all()
        .filter(
          (operation) =>
            operation.isSend() &&
            operation
              .channels()
              .all()
              .some((c) => c.id() === channel.id()),
        );
      expect(
        sends
          .flatMap((operation) =>
            operation
              .messages()
              .all()
              .map((message) => message.id()),
          )
          .sort(),
      ).toEqual([...types].sort());
    });

    it.each(types)('names %s in its message and pins type, schema version and stream type on the envelope', (type) => {
      const { message, pinned, example } = documented(topic, type);

      expect(message['name']).toBe(type);
      expect(pinned.type.const).toBe(type);
      expect(pinned.schemaVersion.const).toBe(schemaVersionOf(type));
      expect(example.payload).toMatchObject({ type, schemaVersion: schemaVersionOf(type), streamType: pinned.streamType.const });
      expect(example.headers).toMatchObject({ 'conduct-event-type': type, 'conduct-schema-version': String(schemaVersionOf(type)) });
    });

    it.each(types)('shows a %s example whose data the contract class accepts, without a field it does not declare', async (type) => {
      expect(await dataProblems(contractOf(type), documented(topic, type).example.payload.data)).toEqual([]);
    });

    it.each(types)('marks as required exactly the %s data fields the contract class always requires', async (type) => {
      const { dataSchema, example } = documented(topic, type);
      const { all, required } = propertiesOf(contractOf(type));

      expect(Object.keys(dataSchema['properties'] as Json).sort()).toEqual(all);
      expect([...((dataSchema['required'] ?? []) as string[])].sort()).toEqual(required);
      // The same, by behaviour: the class refuses the example without a field it requires of it only.
      for (const field of all) {
        const { [field]: _removed, ...without } = example.payload.data;
        const valid = (await dataProblems(contractOf(type), without)).length === 0;
        expect({ field, valid }).toEqual({ field, valid: !requiredOf(contractOf(type), example.payload.data, field) });
      }
    });

    it('has the data schemas generated from the contract classes (npm run docs:asyncapi after changing one)', () => {
      expect(renderAsyncApi(documentText, [contracts])).toEqual(documentText);
    });
  });
}
