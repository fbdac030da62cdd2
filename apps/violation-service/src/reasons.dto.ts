import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsString, MaxLength, MinLength } from 'class-validator';

/** Reasons every decision on a case gives: at least one, each a real sentence. */
export class ReasonsDto {
  @ApiProperty({ example: ['The video shows the uniform and was not pre-approved'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(3, { each: true })
  @MaxLength(2000, { each: true })
  reasons!: string[];
}
