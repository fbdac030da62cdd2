import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
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

  it('reports nested and array fields as dotted paths, one entry per failed rule', async () => {
    expect(await fieldErrorsOf({ title: 5, views: 1, links: [{ url: 'ok' }, { url: 7, extra: true }] })).toEqual([
      { field: 'title', reason: 'title must be a string' },
      { field: 'links.1.extra', reason: 'property extra should not exist' },
      { field: 'links.1.url', reason: 'url must be a string' },
    ]);
  });

  it('reports unknown top-level fields instead of dropping them', async () => {
    expect(await fieldErrorsOf({ title: 't', views: 1, links: [], admin: true })).toEqual([{ field: 'admin', reason: 'property admin should not exist' }]);
  });

  it('does not convert types implicitly', async () => {
    expect(await fieldErrorsOf({ title: 't', views: '1', links: [] })).toEqual([{ field: 'views', reason: 'views must be an integer number' }]);
  });
});
