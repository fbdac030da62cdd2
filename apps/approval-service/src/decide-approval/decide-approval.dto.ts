import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class GrantApprovalDto {
  @ApiPropertyOptional({ example: ['Blur the faces of bystanders'], description: 'Conditions the publication must respect' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  conditions?: string[];

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Start of the validity window (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @ApiProperty({ example: '2026-12-08T00:00:00Z', description: 'End of the validity window: unpublished after it, the approval expires' })
  @IsISO8601({ strict: true })
  validUntil!: string;
}

export class RejectApprovalDto {
  @ApiProperty({ example: ['Shows the inside of the police station (SND-2)'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(3, { each: true })
  @MaxLength(500, { each: true })
  reasons!: string[];
}
