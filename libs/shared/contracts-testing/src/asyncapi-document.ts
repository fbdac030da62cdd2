import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { isMap, isScalar, parseDocument, visit, type Document } from 'yaml';

/** A context's contracts map, e.g. approvalContracts: event type → schema version and data class. */
export type ContractCatalogue = Readonly<Record<string, { readonly schemaVersion: number; readonly data: new () => object }>>;

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';

/**
 * docs/asyncapi.yaml with the `data` schema of every message of these catalogues generated from
 * its contract class (class-validator rules through class-validator-jsonschema; prose from the
 * classes' @JSONSchema descriptions). Each class, and each class nested in one, is a schema of its
 * own named after it; a message's `data` refers to its class. Schemas nothing refers to any more
 * (a contract renamed or removed) are dropped. Everything else in the document is left as written.
 */
export function renderAsyncApi(documentText: string, catalogues: readonly ContractCatalogue[]): string {
  const document = parseDocument(documentText);
  const generated = classSchemas();
  for (const catalogue of catalogues) {
    for (const [type, { data }] of Object.entries(catalogue)) {
      if (!document.hasIn(['components', 'messages', type])) throw new Error(`${type} is a contract but docs/asyncapi.yaml has no message for it`);
      const dataPath = ['components', 'messages', type, 'payload', 'allOf', 1, 'properties', 'data'];
      if (!document.hasIn(dataPath)) throw new Error(`${type}: expected payload.allOf[1].properties.data in its message`);
      document.setIn(dataPath, document.createNode({ $ref: `${SCHEMAS}${data.name}` }));
      for (const name of reachableFrom(data.name, generated)) {
        document.setIn(['components', 'schemas', name], document.createNode(generated[name]));
      }
    }
  }
  dropUnreferencedSchemas(document);
  return document.toString({ lineWidth: 100, flowCollectionPadding: false, singleQuote: true });
}

/** Every class class-validator knows of, as a JSON Schema: nested classes as references, no null where an object is required. */
function classSchemas(): Record<string, Json> {
  const schemas = validationMetadatasToSchemas({ classTransformerMetadataStorage: defaultMetadataStorage, refPointerPrefix: SCHEMAS });
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, tidy(schema as Json)]));
}

/** The order a reader expects the keywords of a schema in; any other keyword follows them. */
const KEYWORD_ORDER = [
  '$ref',
  'description',
  'type',
  'format',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'oneOf',
  'items',
  'required',
  'properties',
];

/**
 * Keywords in a reader's order. A nested class comes out as `{ $ref, type: object, not: { type: null } }`:
 * beside a `$ref` the rest says nothing (the class's own schema is an object) and JSON Schema readers ignore it.
 */
function tidy(node: unknown): Json {
  if (Array.isArray(node)) return node.map(tidy) as unknown as Json;
  if (typeof node !== 'object' || node === null) return node as Json;
  const schema = node as Json;
  if (typeof schema['$ref'] === 'string') {
    return { $ref: schema['$ref'], ...(schema['description'] !== undefined ? { description: schema['description'] } : {}) };
  }
  const rank = (key: string): number => (KEYWORD_ORDER.includes(key) ? KEYWORD_ORDER.indexOf(key) : KEYWORD_ORDER.length);
  const keys = Object.keys(schema).sort((a, b) => rank(a) - rank(b));
  // Property names are data, not keywords: they keep the class's order.
  return Object.fromEntries(keys.map((key) => [key, key === 'properties' ? mapValues(schema[key] as Json, tidy) : tidy(schema[key])]));
}

const mapValues = (object: Json, map: (value: unknown) => Json): Json =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));

/** The class named and every class its schema refers to, directly or not. */
function reachableFrom(name: string, schemas: Record<string, Json>): string[] {
  const found = new Set<string>();
  const walk = (current: string): void => {
    if (found.has(current)) return;
    const schema = schemas[current];
    if (!schema) throw new Error(`no class-validator rules for ${current}`);
    found.add(current);
    for (const ref of refsIn(schema)) if (ref.startsWith(SCHEMAS)) walk(ref.slice(SCHEMAS.length));
  };
  walk(name);
  return [...found];
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node as Json).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

/** Removes component schemas that no `$ref` in the document names, again until none is left (one may have held the only reference to another). */
function dropUnreferencedSchemas(document: Document): void {
  for (;;) {
    const schemas = document.getIn(['components', 'schemas']);
    if (!isMap(schemas)) return;
    const referenced = new Set<string>();
    visit(document, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.value === '$ref' && isScalar(pair.value)) referenced.add(String(pair.value.value));
      },
    });
    const unreferenced = schemas.items.filter((item) => isScalar(item.key) && !referenced.has(`${SCHEMAS}${String(item.key.value)}`));
    if (unreferenced.length === 0) return;
    schemas.items = schemas.items.filter((item) => !unreferenced.includes(item));
  }
}
