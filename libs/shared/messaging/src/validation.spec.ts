import { Transform } from 'class-transformer';
import { IsInt, IsString, Min } from 'class-validator';
import { validateContract } from './validation';

class Counted {
  @IsString() name!: string;
  @IsInt() @Min(1) count!: number;
}

class Shouted {
  @Transform(({ value }) => String(value).toUpperCase()) @IsString() name!: string;
}

class Ruleless {
  name?: string;
}

describe('validateContract', () => {
  it('accepts a valid message as an instance of its class', async () => {
    const checked = await validateContract(Counted, { name: 'a', count: 2 });

    expect(checked).toEqual({ valid: true, value: Object.assign(new Counted(), { name: 'a', count: 2 }) });
    expect(checked.valid && checked.value).toBeInstanceOf(Counted);
  });

  it("words class-validator's reasons for a message the fast path declines", async () => {
    expect(await validateContract(Counted, { name: 1, count: 0 })).toEqual({
      valid: false,
      reason: 'name: name must be a string; count: count must not be less than 1',
    });
    expect(await validateContract(Counted, { name: 'a', count: 1, extra: true }, { forbidUnknownFields: true })).toEqual({
      valid: false,
      reason: 'extra: property extra should not exist',
    });
  });

  it('gives class-transformer and class-validator the classes the fast path leaves to them', async () => {
    expect(await validateContract(Shouted, { name: 'a' })).toEqual({ valid: true, value: Object.assign(new Shouted(), { name: 'A' }) });
    expect(await validateContract(Ruleless, { name: 'a' })).toMatchObject({ valid: false, reason: expect.stringContaining('unknown value') });
  });
});
