import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { instanceIfValid } from '../contract-fast-path';

type Json = Record<string, unknown>;
type ContractClass = new () => object;

/** The reference: class-transformer and class-validator, as the slow path runs them. */
async function classValidatorAnswer(contract: ContractClass, value: Json, forbidUnknownFields: boolean): Promise<{ valid: boolean; value: object }> {
  const instance = plainToInstance(contract, value);
  const errors = await validate(instance, forbidUnknownFields ? { whitelist: true, forbidNonWhitelisted: true } : {});
  return { valid: errors.length === 0, value: instance };
}

/** Values that break one rule or another: wrong types, empty ones, look-alikes of dates and ids. */
const REPLACEMENTS: readonly unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  0,
  1,
  -1,
  1.5,
  true,
  false,
  [],
  [1],
  ['x'],
  [{}],
  [null],
  {},
  { a: 1 },
  '2026-01-31T10:00:00.000Z',
  '2026-02-30',
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
];

/** Keys a message may carry that plainToInstance treats specially, and one nobody declares. */
const ODD_KEYS: readonly string[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'unknownField'];

/** The sample with the value at `path` replaced (or removed, for undefined), without touching the sample. */
function replaced(sample: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(sample)) {
    const copy: unknown[] = [...(sample as unknown[])];
    copy[head as number] = replaced(copy[head as number], rest, value);
    return copy;
  }
  const copy: Json = { ...(sample as Json) };
  const next = replaced(copy[head as string], rest, value);
  if (next === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

/** The sample with a key of `ODD_KEYS` added to the object at `path`, as JSON.parse would make it (an own `__proto__`). */
function withOddKey(sample: unknown, path: readonly (string | number)[], key: string): unknown {
  const at = path.reduce<unknown>((value, step) => (value as Json)[step as string], sample);
  if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
  const object = JSON.parse(JSON.stringify(at)) as Json;
  Object.defineProperty(object, key, { value: 'x', enumerable: true, writable: true, configurable: true });
  return replaced(sample, path, object);
}

/** Every variant of a valid sample the agreement is checked on: each value replaced, each element dropped or doubled, odd keys added. */
export function mutationsOf(sample: Json): { description: string; value: Json }[] {
  const variants: { description: string; value: Json }[] = [{ description: 'the sample', value: sample }];
  const paths = pathsOf(sample);
  for (const path of paths) {
    const name = path.join('.');
    for (const replacement of REPLACEMENTS) {
      variants.push({ description: `${name} = ${JSON.stringify(replacement) ?? 'undefined'}`, value: replaced(sample, path, replacement) as Json });
    }
  }
  for (const path of [[], ...paths]) {
    for (const key of ODD_KEYS) {
      const value = withOddKey(sample, path, key);
      if (value !== undefined) variants.push({ description: `${path.join('.') || '(root)'} + ${key}`, value: value as Json });
    }
  }
  return variants;
}

/** Whether two built instances are the same: same classes, same own keys (undefined ones too), same values. */
function describeDifference(fast: unknown, reference: unknown, path = '(root)'): string | undefined {
  if (typeof fast !== 'object' || fast === null || typeof reference !== 'object' || reference === null) {
    return Object.is(fast, reference) ? undefined : `${path}: ${String(fast)} against ${String(reference)}`;
  }
  if (Object.getPrototypeOf(fast) !== Object.getPrototypeOf(reference)) return `${path}: another class`;
  const keys = Object.keys(fast);
  if (keys.join() !== Object.keys(reference).join()) return `${path}: keys ${keys.join()} against ${Object.keys(reference).join()}`;
  for (const key of keys) {
    const difference = describeDifference((fast as Json)[key], (reference as Json)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

/**
 * Where the fast path and class-validator disagree on mutations of a valid sample,
 * with and without `forbidUnknownFields`: the fast path accepting what class-validator refuses, or
 * building another instance. `mustAccept` also counts the fast path declining a message
 * class-validator accepts (not wrong, only slow): the catalogues' classes must all take it.
 */
export async function fastPathDisagreements(contract: ContractClass, sample: Json, { mustAccept = true } = {}): Promise<string[]> {
  const disagreements: string[] = [];
  for (const { description, value } of mutationsOf(sample)) {
    for (const forbidUnknownFields of [false, true]) {
      const label = `${description}${forbidUnknownFields ? ' (no unknown fields)' : ''}`;
      let reference: Awaited<ReturnType<typeof classValidatorAnswer>> | { thrown: true };
      try {
        reference = await classValidatorAnswer(contract, value, forbidUnknownFields);
      } catch {
        reference = { thrown: true };
      }
      const fast = instanceIfValid(contract, value, forbidUnknownFields);
      if ('thrown' in reference || !reference.valid) {
        if (fast !== undefined) disagreements.push(`${label}: accepted by the fast path only`);
        continue;
      }
      if (fast === undefined) {
        if (mustAccept) disagreements.push(`${label}: declined by the fast path, accepted by class-validator`);
        continue;
      }
      const difference = describeDifference(fast, reference.value);
      if (difference) disagreements.push(`${label}: another instance, ${difference}`);
    }
  }
  return disagreements;
}
