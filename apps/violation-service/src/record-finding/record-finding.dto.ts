import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { FINDING_OUTCOMES, FindingOutcome } from '@conduct/cases-domain';
import { ReasonsDto } from '../reasons.dto';

export class RecordFindingDto extends ReasonsDto {
  @ApiProperty({ enum: FINDING_OUTCOMES, example: 'substantiated' }) @IsIn(FINDING_OUTCOMES) outcome!: FindingOutcome;

  @ApiPropertyOptional({ example: ['SND-1'], description: 'For a substantiated finding: the alleged clauses held proven' })
  @ValidateIf((dto: RecordFindingDto) => dto.outcome === 'substantiated' || dto.clauses !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  clauses?: string[];
}
