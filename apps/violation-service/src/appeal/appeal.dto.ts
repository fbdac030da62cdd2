import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { AppealOutcome } from '@conduct/cases-domain';
import { ReasonsDto } from '../reasons.dto';

const APPEAL_OUTCOMES: readonly AppealOutcome[] = ['upheld', 'dismissed', 'sanction-reduced'];

export class FileAppealDto {
  @ApiProperty({ example: ['The video predates the policy letter'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(3, { each: true })
  @MaxLength(2000, { each: true })
  grounds!: string[];
}

export class DecideAppealDto extends ReasonsDto {
  @ApiProperty({ enum: APPEAL_OUTCOMES, example: 'dismissed', description: 'upheld sets finding and sanction aside' }) @IsIn(APPEAL_OUTCOMES) outcome!: AppealOutcome;

  @ApiPropertyOptional({ example: 'censure', description: 'For sanction-reduced: the lesser sanction from the pack’s list' })
  @ValidateIf((dto: DecideAppealDto) => dto.outcome === 'sanction-reduced' || dto.reducedTo !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  reducedTo?: string;
}
