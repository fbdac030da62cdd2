import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { plainToInstance } from 'class-transformer';
import {
  ARRAY_NOT_EMPTY,
  IS_ARRAY,
  IS_DEFINED,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_NOT_EMPTY,
  IS_OPTIONAL,
  IS_STRING,
  IS_UUID,
  MATCHES,
  MAX_LENGTH,
  MIN,
  MetadataStorage,
  ValidationTypes,
  getMetadataStorage,
  validate,
} from 'class-validator';
import { parse } from 'yaml';
import { ApprovalContractType, approvalContracts } from './index';

/**
 * docs/asyncapi.yaml is the public description of conduct.approvals.v1: every contract in
 * approvalContracts has a message there whose `data` schema mirrors the contract class and whose
 * example the class accepts, and nothing else is documented on the topic. (The envelopes and
 * hash chains of the examples are checked by libs/shared/messaging/src/asyncapi.spec.ts.)
 */

const APPROVALS_TOPIC = 'conduct.approvals.v1';
const ENVELOPE_REF = '#/components/schemas/EventEnvelope';
const documentText = readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8');
const raw = parse(documentText) as Json;

type Json = Record<string, unknown>;
type Contract = new () => object;
type Rule = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

const types = Object.keys(approvalContracts) as ApprovalContractType[];
const contractOf = (type: ApprovalContractType): Contract => approvalContracts[type].data;

/** Follows a local `$ref` ('#/components/schemas/X') through the raw document. */
function deref(node: unknown): Json {
  const { $ref } = node as { $ref?: string };
  if ($ref === undefined) return node as Json;
  return deref($ref.slice(2).split('/').reduce<unknown>((parent, key) => (parent as Json)[key], raw));
}

function approvalsChannel(): Json {
  const channels = Object.values(raw['channels'] as Json).map(deref);
  const channel = channels.find((candidate) => candidate['address'] === APPROVALS_TOPIC);
  if (!channel) throw new Error(`no channel with address ${APPROVALS_TOPIC}`);
  return channel;
}

const documentedTypes = (): string[] => Object.keys(approvalsChannel()['messages'] as Json);

interface DocumentedMessage {
  message: Json;
  /** The second part of the payload's allOf (the first is the envelope): what this message pins on it. */
  pinned: { type: { const: string }; schemaVersion: { const: number }; streamType: { const: string } };
  dataSchema: Json;
  example: { headers: Record<string, string>; payload: { type: string; schemaVersion: number; streamType: string; data: Json } };
}

function documented(type: ApprovalContractType): DocumentedMessage {
  const ref = (approvalsChannel()['messages'] as Json)[type];
  if (ref === undefined) throw new Error(`${type} is in approvalContracts but has no message on ${APPROVALS_TOPIC} in docs/asyncapi.yaml`);
  const message = deref(ref);
  const [envelope, own] = ((message['payload'] as Json)['allOf'] ?? []) as Json[];
  const pinned = own?.['properties'] as Json | undefined;
  const [example] = (message['examples'] ?? []) as DocumentedMessage['example'][];
  if (envelope?.['$ref'] !== ENVELOPE_REF || !pinned || !example) {
    throw new Error(`${type}: expected a payload allOf [{ $ref: ${ENVELOPE_REF} }, { properties: { type, schemaVersion, streamType, data } }] and an example`);
  }
  return { message, pinned: pinned as DocumentedMessage['pinned'], dataSchema: deref(pinned['data']), example };
}

const rulesOf = (contract: Contract): Rule[] => getMetadataStorage().getTargetValidationMetadatas(contract, '', true, false);
const ruleName = (rule: Rule): string => rule.name ?? rule.type;

/** The properties the class declares (inherited ones included), and those it requires. */
function propertiesOf(contract: Contract): { all: string[]; required: string[] } {
  const rules = rulesOf(contract);
  const all = [...new Set(rules.map((rule) => rule.propertyName))];
  const optional = new Set(rules.filter((rule) => ruleName(rule) === IS_OPTIONAL).map((rule) => rule.propertyName));
  return { all: all.sort(), required: all.filter((property) => !optional.has(property)).sort() };
}

/** The JSON Schema each class-validator rule stands for. An unknown rule fails the test: teach it here. */
const schemaOfRule: Record<string, (constraint: unknown) => Json> = {
  [IS_STRING]: () => ({ type: 'string' }),
  [IS_NOT_EMPTY]: () => ({ minLength: 1 }),
  [MAX_LENGTH]: (max) => ({ maxLength: max }),
  [MATCHES]: (pattern) => ({ type: 'string', pattern: (pattern as RegExp).source }),
  [IS_ISO8601]: () => ({ type: 'string', format: 'date-time' }),
  [IS_UUID]: () => ({ type: 'string', format: 'uuid' }),
  [IS_INT]: () => ({ type: 'integer' }),
  [MIN]: (min) => ({ minimum: min }),
  [IS_ARRAY]: () => ({ type: 'array' }),
  [ARRAY_NOT_EMPTY]: () => ({ minItems: 1 }),
  [IS_IN]: (values) => ({ type: 'string', enum: [...(values as readonly string[])] }),
  [IS_DEFINED]: () => ({}),
  [IS_OPTIONAL]: () => ({}),
};

/**
 * The schema a contract class stands for, built from its class-validator rules. Nested classes
 * come from `sample` (the example after plainToInstance), where class-transformer's @Type put them.
 */
function schemaOfClass(contract: Contract, sample: Json, path: string): Json {
  const { all, required } = propertiesOf(contract);
  const properties: Json = {};
  for (const property of all) {
    const at = `${path}.${property}`;
    const schema: Json = {};
    const items: Json = {};
    for (const rule of rulesOf(contract).filter((candidate) => candidate.propertyName === property)) {
      if (rule.type === ValidationTypes.NESTED_VALIDATION) {
        const nested = sample[property];
        if (typeof nested !== 'object' || nested === null) throw new Error(`${at}: show this nested object in the example so its schema can be checked`);
        Object.assign(schema, schemaOfClass(nested.constructor as Contract, nested as Json, at));
        continue;
      }
      const toSchema = schemaOfRule[ruleName(rule)];
      if (!toSchema) throw new Error(`${at}: @${ruleName(rule)} has no JSON Schema equivalent in this test yet`);
      const [constraint]: unknown[] = rule.constraints ?? [];
      Object.assign(rule.each ? items : schema, toSchema(constraint));
    }
    properties[property] = Object.keys(items).length > 0 ? { ...schema, items } : schema;
  }
  return normalised({ type: 'object', required, properties });
}

/** A documented schema as a comparable value: references followed, prose and empty lists left out. */
function normalised(node: unknown): Json {
  const { description: _description, title: _title, examples: _examples, ...schema } = deref(node);
  const result: Json = { ...schema };
  if (Array.isArray(schema['required'])) {
    if (schema['required'].length === 0) delete result['required'];
    else result['required'] = [...(schema['required'] as string[])].sort();
  }
  if (schema['properties']) {
    result['properties'] = Object.fromEntries(Object.entries(schema['properties'] as Json).map(([key, value]) => [key, normalised(value)]));
  }
  if (schema['items']) result['items'] = normalised(schema['items']);
  return result;
}

async function dataProblems(type: ApprovalContractType, data: Json): Promise<string[]> {
  const errors = await validate(plainToInstance(contractOf(type), data), { forbidUnknownValues: true, whitelist: true, forbidNonWhitelisted: true });
  return errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ') || 'invalid nested value'}`);
}

describe('docs/asyncapi.yaml documents every approval contract', () => {
  it('is a valid AsyncAPI document', async () => {
    const { diagnostics } = await new Parser().parse(documentText);
    // The parser's diagnostics carry another copy of @stoplight/types' enum: compare as numbers.
    const errors = diagnostics.filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error));
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
  });

  it(`has a message on ${APPROVALS_TOPIC} for exactly the types of approvalContracts, all published by approval-service`, async () => {
    expect(documentedTypes().sort()).toEqual([...types].sort());

    const { document } = await new Parser().parse(documentText);
    const channel = document!.channels().all().find((candidate) => candidate.address() === APPROVALS_TOPIC)!;
    expect(channel.messages().all().map((message) => message.id()).sort()).toEqual([...types].sort());
    const sends = document!.operations().all().filter((operation) => operation.isSend() && operation.channels().all().some((c) => c.id() === channel.id()));
    expect(sends.flatMap((operation) => operation.messages().all().map((message) => message.id())).sort()).toEqual([...types].sort());
  });

  it.each(types)('names %s in its message and pins type, schema version and stream type on the envelope', (type) => {
    const { message, pinned, example } = documented(type);

    expect(message['name']).toBe(type);
    expect(pinned.type.const).toBe(type);
    expect(pinned.schemaVersion.const).toBe(approvalContracts[type].schemaVersion);
    expect(example.payload).toMatchObject({ type, schemaVersion: approvalContracts[type].schemaVersion, streamType: pinned.streamType.const });
    expect(example.headers).toMatchObject({ 'conduct-event-type': type, 'conduct-schema-version': String(approvalContracts[type].schemaVersion) });
  });

  it.each(types)('shows a %s example whose data the contract class accepts, without a field it does not declare', async (type) => {
    expect(await dataProblems(type, documented(type).example.payload.data)).toEqual([]);
  });

  it.each(types)('marks as required exactly the %s data fields the contract class requires', async (type) => {
    const { dataSchema, example } = documented(type);
    const { all, required } = propertiesOf(contractOf(type));

    expect(Object.keys(dataSchema['properties'] as Json).sort()).toEqual(all);
    expect([...(dataSchema['required'] as string[])].sort()).toEqual(required);
    // The same, by behaviour: the class refuses the example without a required field only.
    for (const field of all) {
      const { [field]: _removed, ...without } = example.payload.data;
      const valid = (await dataProblems(type, without)).length === 0;
      expect({ field, valid }).toEqual({ field, valid: !required.includes(field) });
    }
  });

  it.each(types)('describes the %s data with the types, patterns, limits and enums of the contract class', (type) => {
    const { dataSchema, example } = documented(type);
    const sample = plainToInstance(contractOf(type), example.payload.data) as Json;

    expect(normalised(dataSchema)).toEqual(schemaOfClass(contractOf(type), sample, type));
  });
});
