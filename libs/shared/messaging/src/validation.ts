import { plainToInstance } from 'class-transformer';
import { validate, ValidationError, ValidatorOptions } from 'class-validator';
import { instanceIfValid } from '@conduct/contract-validation';
import { EventEnvelope } from './envelope';

export type Validated<T> = { valid: true; value: T } | { valid: false; reason: string };

/** A class whose instances class-validator checks; its decorators are the contract. */
export type ContractClass<T extends object> = new () => T;

/** "actor.id: id must be a string; data: ..." — short enough for a header, precise enough to act on. */
export function describeValidationErrors(errors: ValidationError[], parentPath = ''): string {
  return errors
    .flatMap((error): string[] => {
      const path = parentPath ? `${parentPath}.${error.property}` : error.property;
      const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
      const nested = error.children?.length ? [describeValidationErrors(error.children, path)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}

/**
 * Checks a parsed message against a contract class. Unknown properties are tolerated unless
 * `forbidUnknownFields` is set: a publisher may add optional fields within a schema version
 * without breaking its consumers (tolerant reader); removing or changing one needs a new version.
 */
export async function validateContract<T extends object>(
  contract: ContractClass<T>,
  value: unknown,
  { forbidUnknownFields = false }: { forbidUnknownFields?: boolean } = {},
): Promise<Validated<T>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { valid: false, reason: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  const fast = instanceIfValid(contract, value, forbidUnknownFields);
  if (fast) return { valid: true, value: fast };
  return validateWithClassValidator(contract, value, forbidUnknownFields);
}

/** What validateContract answers for any message its fast path does not accept, with the reasons. */
async function validateWithClassValidator<T extends object>(
  contract: ContractClass<T>,
  value: object,
  forbidUnknownFields: boolean,
): Promise<Validated<T>> {
  const instance = plainToInstance(contract, value);
  const options: ValidatorOptions = forbidUnknownFields ? { whitelist: true, forbidNonWhitelisted: true } : {};
  const errors = await validate(instance, options);
  return errors.length === 0 ? { valid: true, value: instance } : { valid: false, reason: describeValidationErrors(errors) };
}

/**
 * A seed file's text: a JSON array whose every entry must pass `contract` with no unknown field.
 * The first bad entry is named (`[3] {...}: reason`), and then nothing is taken.
 */
export async function validateJsonArray<T extends object>(contract: ContractClass<T>, json: string, entry: string): Promise<Validated<T[]>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { valid: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (!Array.isArray(parsed)) return { valid: false, reason: `expected a JSON array of ${entry}s` };
  const entries: T[] = [];
  for (const [index, value] of parsed.entries()) {
    const checked = await validateContract(contract, value, { forbidUnknownFields: true });
    if (!checked.valid) return { valid: false, reason: `${entry} [${index}] ${JSON.stringify(value)}: ${checked.reason}` };
    entries.push(checked.value);
  }
  return { valid: true, value: entries };
}

export function validateEnvelope(value: unknown): Promise<Validated<EventEnvelope>> {
  return validateContract(EventEnvelope, value);
}
