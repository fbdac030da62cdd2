import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsString, MaxLength, MinLength } from 'class-validator';

/** A list of written reasons: at least one, at most 20, each a real sentence. */
export const Sentences = (): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    MinLength(3, { each: true }),
    MaxLength(2000, { each: true }),
  );

/** Reasons every decision on a case gives. */
export class ReasonsDto {
  @ApiProperty({ example: ['The video shows the uniform and was not pre-approved'] })
  @Sentences()
  reasons!: string[];
}
