import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RevokeApprovalDto {
  @ApiProperty({ example: 'The operation shown is now sub judice' }) @IsString() @MinLength(3) @MaxLength(500) reason!: string;
}
