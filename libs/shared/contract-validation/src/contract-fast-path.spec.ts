import 'reflect-metadata';
import { Exclude, plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  validate,
} from 'class-validator';
import { instanceIfValid } from './contract-fast-path';
import { fastPathDisagreements } from './testing/fast-path-agreement';

class Place {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() district?: string;
}

class Evidence {
  @IsString() @Matches(/^https:\/\//) url!: string;
  @IsOptional() @IsInt() @Min(0) @Max(10) weight?: number;
}

class Base {
  @IsUUID('all') id!: string;
}

/** Most rules the contracts use, inheritance, nested classes and arrays of them. */
class Rich extends Base {
  @IsIn(['OPEN', 'CLOSED']) status!: string;
  @IsISO8601({ strict: true }) at!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => Place) place!: Place;
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Evidence) evidence!: Evidence[];
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(5, { each: true }) tags?: string[];
  @IsBoolean() urgent!: boolean;
  @IsOptional() @IsObject() extra?: Record<string, unknown>;
  // Required only when closed, as a finding's clauses are.
  @ValidateIf((rich: Rich) => rich.status === 'CLOSED') @IsString() @IsNotEmpty() reason?: string;
  @IsOptional() @IsString({ each: true }) @IsNotEmpty({ validateIf: (rich: Rich) => rich.urgent }) note?: string;
}

const rich = {
  id: '6f1c1d9e-1b7a-4a6f-9a7e-3d0c2b1a9f00',
  status: 'CLOSED',
  at: '2026-12-08T01:00:00.000Z',
  place: { province: 'Punjab', district: 'Lahore' },
  evidence: [{ url: 'https://example.org/a', weight: 3 }, { url: 'https://example.org/b' }],
  tags: ['a', 'bb'],
  urgent: true,
  extra: { nested: { deeper: [1, { x: null }] } },
  reason: 'posted in uniform',
  note: 'seen',
};

@ValidatorConstraint({ name: 'isEven' })
class IsEven implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }
}

class WithOwnConstraint {
  @Validate(IsEven) count!: number;
}

@ValidatorConstraint({ name: 'later', async: true })
class Later implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

class WithAsyncRule {
  @Validate(Later) @IsString() name!: string;
}

@ValidatorConstraint({ name: 'throws' })
class Throws implements ValidatorConstraintInterface {
  validate(): boolean {
    throw new Error('cannot tell');
  }
}

class WithThrowingRule {
  @Validate(Throws) name!: string;
}

class WithTransform {
  @Transform(({ value }) => String(value).toUpperCase()) @IsString() name!: string;
}

class WithExclude {
  @IsString() name!: string;
  @Exclude() @IsOptional() secret?: string;
}

class WithBuiltInType {
  @Type(() => Number) @IsInt() count!: number;
}

class WithoutRules {
  name?: string;
}

class WithMethod {
  @IsString() name!: string;
  describe(): string {
    return this.name;
  }
}

describe('the contract fast path', () => {
  it('agrees with class-validator on every mutation of a message using most rules, nested classes and inheritance', async () => {
    expect(await fastPathDisagreements(Rich, rich)).toEqual([]);
  });

  it('accepts a valid message as the instance plainToInstance builds, nested classes included', () => {
    const instance = instanceIfValid(Rich, rich, true)!;

    expect(instance).toBeInstanceOf(Rich);
    expect(instance.place).toBeInstanceOf(Place);
    expect(instance.evidence.map((item) => item.constructor)).toEqual([Evidence, Evidence]);
    expect(instance.extra).toEqual(rich.extra);
    expect(instance.extra).not.toBe(rich.extra); // copied, as plainToInstance does
  });

  it.each([
    ['a missing required field', { ...rich, urgent: undefined }],
    ['a conditional field missing while its condition holds', { ...rich, reason: undefined }],
    ['a nested class with a wrong field', { ...rich, place: { province: '' } }],
    ['an array element breaking its rule', { ...rich, evidence: [{ url: 'http://plain' }] }],
    ['a string where a nested object belongs', { ...rich, place: 'Punjab' }],
    ['an each-rule broken by one element', { ...rich, tags: ['a', 'toolong'] }],
    ['a validateIf option whose condition holds', { ...rich, note: '' }],
  ])('declines %s, which class-validator refuses too', async (_, message) => {
    expect(instanceIfValid(Rich, message, false)).toBeUndefined();
    expect(await validate(plainToInstance(Rich, message))).not.toEqual([]);
  });

  it('skips what a condition does not require: an absent conditional field, a validateIf option that does not hold', () => {
    expect(instanceIfValid(Rich, { ...rich, status: 'OPEN', reason: undefined, urgent: false, note: '' }, true)).toBeInstanceOf(Rich);
  });

  it('refuses an unknown field only when asked to, and keeps it otherwise as plainToInstance does', () => {
    const message = { ...rich, unknownField: 1 };

    expect(instanceIfValid(Rich, message, true)).toBeUndefined();
    expect(instanceIfValid(Rich, message, false)).toMatchObject({ unknownField: 1 });
  });

  it('runs a constraint class of the project, and agrees on it', async () => {
    expect(instanceIfValid(WithOwnConstraint, { count: 4 }, true)).toMatchObject({ count: 4 });
    expect(instanceIfValid(WithOwnConstraint, { count: 3 }, true)).toBeUndefined();
    expect(await fastPathDisagreements(WithOwnConstraint, { count: 4 })).toEqual([]);
  });

  it("declines, rather than throws, when a validator throws: the caller meets the error on class-validator's path", () => {
    expect(instanceIfValid(WithThrowingRule, { name: 'a' }, false)).toBeUndefined();
    expect(() => validate(plainToInstance(WithThrowingRule, { name: 'a' }))).toThrow('cannot tell');
  });

  it.each([
    ['an async validator', WithAsyncRule, { name: 'a' }],
    ['a @Transform', WithTransform, { name: 'a' }],
    ['an @Exclude', WithExclude, { name: 'a' }],
    ['a @Type of a built-in type', WithBuiltInType, { count: 2 }],
    ['no rules at all', WithoutRules, { name: 'a' }],
  ])('leaves a class with %s to class-transformer and class-validator', async (_, contract, message) => {
    expect(instanceIfValid(contract as new () => object, message, false)).toBeUndefined();
    expect(await fastPathDisagreements(contract as new () => object, message, { mustAccept: false })).toEqual([]);
  });

  it('never overwrites a method with a field of the message, as plainToInstance does', async () => {
    const instance = instanceIfValid(WithMethod, { name: 'a', describe: 'x' }, false)!;

    expect(instance.describe()).toBe('a');
    expect(await fastPathDisagreements(WithMethod, { name: 'a', describe: 'x', toString: 'y' })).toEqual([]);
  });
});
