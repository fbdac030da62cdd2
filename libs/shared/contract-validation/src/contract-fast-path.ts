import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * The fast path of `validateContract` (messaging) and of request bodies (http), ADR 24: a class's
 * rules are read once from class-validator's and class-transformer's metadata, and a message is
 * then built and checked by plain loops that call the same validator functions. Looking the rules
 * up on every object, as class-validator does (it walks every class it knows for inherited ones),
 * cost about 70 µs a message.
 *
 * It only ever answers "valid, and here is the instance plainToInstance would build" or "don't
 * know": `undefined` for anything it was not made for (an invalid message, a rule of a kind it does
 * not know, an async validator, a @Transform, @Expose or @Exclude, a @Type of a built-in), and the
 * caller then asks class-validator, which also words the reasons. So a message it accepts is one
 * class-validator accepts, built into the same instance; `contract-fast-path.spec.ts` and
 * reporting-service's `contract-validation.spec.ts` check that against class-validator on mutated
 * messages (`fastPathDisagreements`).
 */
export function instanceIfValid<T extends object>(contract: new () => T, value: object, forbidUnknownFields: boolean): T | undefined {
  try {
    const instance = buildInstance(contract, value as Record<string, unknown>);
    if (instance === UNKNOWN) return undefined;
    return isValid(instance, forbidUnknownFields) ? (instance as T) : undefined;
  } catch {
    return undefined; // a constructor or validator that throws: the caller's class-validator path meets it as before
  }
}

const UNKNOWN = Symbol('unknown');
type Plain = Record<string, unknown>;
/** A class a message is built into; the metadata storages key their rules by it. */
type Constructor = new () => object;

// ---------------------------------------------------------------------------------------------
// Building the instance, as class-transformer's plainToInstance does with its default options.
// ---------------------------------------------------------------------------------------------

interface TypedProperty {
  readonly typeFunction: ((options: { newObject: unknown; object: Plain; property: string }) => unknown) | undefined;
  readonly reflectedType: unknown;
}

/** How to build one class: its properties with a @Type, or undefined when a decorator asks for class-transformer itself. */
interface Shape {
  readonly declared: ReadonlySet<string>;
  readonly typed: ReadonlyMap<string, TypedProperty>;
}

const shapes = new Map<unknown, Shape | undefined>();

/** Types plainToInstance converts to (or from) rather than building as a class: left to it. */
const BUILT_INS: readonly unknown[] = [String, Number, Boolean, Date, Buffer, Map, Set, Array, Object, Promise];

function shapeOf(target: Constructor): Shape | undefined {
  if (shapes.has(target)) return shapes.get(target);
  const shape = readShape(target);
  shapes.set(target, shape);
  return shape;
}

function readShape(target: Constructor): Shape | undefined {
  if (BUILT_INS.includes(target)) return undefined;
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(target) !== 'none' || storage.getExposedMetadatas(target).length > 0 || storage.getExcludedMetadatas(target).length > 0) {
    return undefined;
  }
  // Decorated fields are own properties of a new instance (define semantics); validated ones are declared too.
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', false, false)
    .map((metadata) => metadata.propertyName);
  const declared = new Set([...Object.keys(new target()), ...validated]);
  const typed = new Map<string, TypedProperty>();
  for (const property of declared) {
    if (storage.findTransformMetadatas(target, property, TransformationType.PLAIN_TO_CLASS).length > 0) return undefined;
    const type = storage.findTypeMetadata(target, property);
    if (!type) continue;
    const reflected = type.reflectedType as unknown;
    if (type.options?.discriminator || reflected === Map || reflected === Set) return undefined;
    // An array under a property whose declared type has `push` would be built as that type.
    if (typeof reflected === 'function' && reflected !== Array && 'push' in (reflected as Constructor).prototype) return undefined;
    typed.set(property, { typeFunction: type.typeFunction, reflectedType: reflected });
  }
  return { declared, typed };
}

function buildInstance(target: Constructor, value: Plain): object | typeof UNKNOWN {
  const shape = shapeOf(target);
  if (!shape) return UNKNOWN;
  const instance = new target() as Plain;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') continue;
    let type: unknown;
    const typed = shape.typed.get(key);
    if (typed) {
      type = typed.typeFunction ? typed.typeFunction({ newObject: instance, object: value, property: key }) : typed.reflectedType;
      if (typeof type !== 'function' || !shapeOf(type as Constructor)) return UNKNOWN;
    } else if (!shape.declared.has(key) && undeclaredNeedsTransformer(target, key)) {
      return UNKNOWN;
    }
    if (skipsKey(instance, key)) continue;
    const built = buildValue(value[key], type as Constructor | undefined);
    if (built === UNKNOWN) return UNKNOWN;
    instance[key] = built;
  }
  return instance;
}

/** A field the message carries that the class does not declare, but a decorator of class-transformer names. */
function undeclaredNeedsTransformer(target: Constructor, key: string): boolean {
  return (
    defaultMetadataStorage.findTypeMetadata(target, key) !== undefined ||
    defaultMetadataStorage.findTransformMetadatas(target, key, TransformationType.PLAIN_TO_CLASS).length > 0
  );
}

/** plainToInstance never overwrites a method or a read-only accessor of the object it builds. */
function skipsKey(built: Plain, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor((built.constructor as Constructor).prototype, key);
  return (descriptor !== undefined && !descriptor.set) || built[key] instanceof Function;
}

function buildValue(value: unknown, type: Constructor | undefined): unknown {
  if (Array.isArray(value)) {
    const built: unknown[] = [];
    for (const item of value) {
      const element = buildValue(item, type);
      if (element === UNKNOWN) return UNKNOWN;
      built.push(element);
    }
    return built;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (type) return buildInstance(type, value as Plain);
  // Untyped objects are copied; one whose `constructor` is not Object would make class-transformer guess a class.
  if ((value as Plain).constructor !== Object) return UNKNOWN;
  const copy: Plain = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || skipsKey(copy, key)) continue;
    const built = buildValue((value as Plain)[key], undefined);
    if (built === UNKNOWN) return UNKNOWN;
    copy[key] = built;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Checking it, as class-validator's validate() does with `{}` or `{ whitelist, forbidNonWhitelisted }`.
// ---------------------------------------------------------------------------------------------

type Validate = (value: unknown, args: ValidationArguments) => unknown;

interface Check {
  readonly metadata: ValidationMetadata;
  readonly validators: readonly Validate[];
}

interface PropertyRules {
  readonly name: string;
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /** @IsDefined first, then the others, as class-validator runs them; a failure anywhere is enough. */
  readonly checks: readonly Check[];
  readonly nested: boolean;
}

interface Rules {
  readonly properties: readonly PropertyRules[];
  readonly names: ReadonlySet<string>;
}

const rulesByClass = new Map<unknown, Rules | undefined>();

function rulesOf(target: Constructor): Rules | undefined {
  if (rulesByClass.has(target)) return rulesByClass.get(target);
  const rules = readRules(target);
  rulesByClass.set(target, rules);
  return rules;
}

const KNOWN_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);

function readRules(target: Constructor): Rules | undefined {
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(target, '', false, false));
  const properties: PropertyRules[] = [];
  for (const [name, metadatas] of Object.entries(grouped)) {
    if (metadatas.some((metadata) => !KNOWN_TYPES.has(metadata.type))) return undefined;
    const checks: Check[] = [];
    for (const metadata of [
      ...metadatas.filter((m) => m.type === ValidationTypes.IS_DEFINED),
      ...metadatas.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION),
    ]) {
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.some((constraint) => constraint.async)) return undefined;
      checks.push({ metadata, validators: constraints.map((constraint) => constraint.instance.validate.bind(constraint.instance) as Validate) });
    }
    properties.push({
      name,
      conditions: metadatas
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      checks,
      nested: metadatas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { properties, names: new Set(Object.keys(grouped)) };
}

function isValid(object: object, forbidUnknownFields: boolean): boolean {
  const rules = rulesOf(object.constructor as Constructor);
  // No rules at all: class-validator's forbidUnknownValues (on by default) refuses the object.
  if (!rules || rules.properties.length === 0) return false;
  if (forbidUnknownFields && Object.keys(object).some((key) => !rules.names.has(key))) return false;
  for (const property of rules.properties) {
    const value = (object as Plain)[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    for (const check of property.checks) if (!passes(check, object, value)) return false;
    if (property.nested && value !== undefined && !isValidNested(value, forbidUnknownFields)) return false;
  }
  return true;
}

function passes({ metadata, validators }: Check, object: object, value: unknown): boolean {
  if (metadata.validateIf && !metadata.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: object.constructor.name,
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
  const each = metadata.each && Array.isArray(value);
  for (const validate of validators) {
    const results = each ? (value as unknown[]).map((item) => validate(item, args)) : [validate(value, args)];
    // A falsy answer fails; a promise (an async validator after all) is left to class-validator.
    if (results.some((result) => !result || typeof (result as Promise<unknown>).then === 'function')) return false;
  }
  return true;
}

function isValidNested(value: unknown, forbidUnknownFields: boolean): boolean {
  if (Array.isArray(value)) return value.every((item) => item === undefined || isValidNested(item, forbidUnknownFields));
  return value instanceof Object && isValid(value, forbidUnknownFields);
}
