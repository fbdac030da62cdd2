import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Where a request, account or case sits in the hierarchy, down to the unit (request bodies). */
export class UnitJurisdictionDto {
  @ApiProperty({ example: 'sindh' }) @IsString() @IsNotEmpty() @MaxLength(64) province!: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) district?: string;
  @ApiProperty({ example: 'ps-clifton' }) @IsString() @IsNotEmpty() @MaxLength(64) unitId!: string;
}
