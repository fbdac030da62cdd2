import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class WithdrawApprovalDto {
  @ApiPropertyOptional({ example: 'The event was cancelled' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
