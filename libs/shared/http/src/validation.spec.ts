import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsInt, IsString, MinLength, ValidateNested } from 'class-validator';
import { createValidationPipe, RequestValidationException } from './validation';

class LinkDto {
  @IsString() url: string;
}

class PostDto {
  @IsString() title: string;
  @IsInt() views: number;
  @ValidateNested({ each: true }) @Type(() => LinkDto) links: LinkDto[];
}

const asBody: ArgumentMetadata = { type: 'body', metatype: PostDto };

class ShoutedDto {
  @Transform(({ value }) => String(value).toUpperCase()) @IsString() title: string;
}

class TaggedDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) @MinLength(3, { each: true }) tags: string[];
}

async function fieldErrorsOf(value: unknown) {
  try {
    await createValidationPipe().transform(value, asBody);
  } catch (error) {
    if (error instanceof RequestValidationException) return error.errors;
    throw error;
  }
  throw new Error('expected a RequestValidationException');
}

describe('createValidationPipe', () => {
  it('returns a DTO instance for a valid body', async () => {
    const dto: unknown = await createValidationPipe().transform({ title: 't', views: 3, links: [{ url: 'u' }] }, asBody);
    expect(dto).toBeInstanceOf(PostDto);
    expect((dto as PostDto).links[0]).toBeInstanceOf(LinkDto);
  });

  it('reports nested and array fields as dotted paths, one entry per field', async () => {
    expect(await fieldErrorsOf({ title: 5, views: 1, links: [{ url: 'ok' }, { url: 7, extra: true }] })).toEqual([
      { field: 'title', reason: 'title must be a string' },
      { field: 'links.1.extra', reason: 'property extra should not exist' },
      { field: 'links.1.url', reason: 'url must be a string' },
    ]);
  });

  it('refuses a sealed personal value anywhere in a body, naming where: every answer would open it for its reader', async () => {
    const sealed = 'pii:v1:0b7e2c4e-8a1f-4c3e-9d2a-5f6b7c8d9e0f:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(await fieldErrorsOf({ title: `Note about ${sealed}`, views: 1, links: [{ url: 'ok' }, { url: sealed }] })).toEqual([
      { field: 'title', reason: expect.stringMatching(/^must not hold a sealed value/) as unknown },
      { field: 'links.1.url', reason: expect.stringMatching(/^must not hold a sealed value/) as unknown },
    ]);
    // Only bodies: a route parameter or query is never shown back opened.
    await expect(createValidationPipe().transform(sealed, { type: 'param', metatype: String })).resolves.toBe(sealed);
  });

  it('reports unknown top-level fields instead of dropping them', async () => {
    expect(await fieldErrorsOf({ title: 't', views: 1, links: [], admin: true })).toEqual([
      { field: 'admin', reason: 'property admin should not exist' },
    ]);
  });

  it('names a field once, with every rule it fails in one reason', async () => {
    try {
      await createValidationPipe().transform({}, { type: 'body', metatype: TaggedDto });
      throw new Error('expected a RequestValidationException');
    } catch (error) {
      const { errors } = error as RequestValidationException;
      expect(errors.map((entry) => entry.field)).toEqual(['tags']);
      expect(errors[0]!.reason.split('; ')).toEqual(
        expect.arrayContaining(['tags must be an array', 'tags should not be empty', 'each value in tags must be a string']),
      );
    }
  });

  it("returns for a valid body what Nest's own ValidationPipe returns, through the fast path or not", async () => {
    const plainPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });
    for (const [body, metatype] of [
      [{ title: 't', views: 3, links: [{ url: 'u' }, { url: 'v' }] }, PostDto],
      [{ title: 't', views: 3, links: [] }, PostDto],
      [{ title: 'quiet' }, ShoutedDto], // a @Transform: left to ValidationPipe
    ] as const) {
      const metadata: ArgumentMetadata = { type: 'body', metatype };
      expect(await createValidationPipe().transform(structuredClone(body), metadata)).toStrictEqual(
        await plainPipe.transform(structuredClone(body), metadata),
      );
    }
  });

  it('does not convert types implicitly', async () => {
    expect(await fieldErrorsOf({ title: 't', views: '1', links: [] })).toEqual([{ field: 'views', reason: 'views must be an integer number' }]);
  });
});
