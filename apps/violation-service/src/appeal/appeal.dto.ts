import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { AppealOutcome } from '@conduct/cases-domain';
import { ReasonsDto, Sentences } from '../reasons.dto';

const APPEAL_OUTCOMES: readonly AppealOutcome[] = ['upheld', 'dismissed', 'sanction-reduced'];

export class FileAppealDto {
  @ApiProperty({ example: ['The video predates the policy letter'] })
  @Sentences()
  grounds!: string[];
}

export class DecideAppealDto extends ReasonsDto {
  @ApiProperty({ enum: APPEAL_OUTCOMES, example: 'dismissed', description: 'upheld sets finding and sanction aside' })
  @IsIn(APPEAL_OUTCOMES)
  outcome!: AppealOutcome;

  @ApiPropertyOptional({ example: 'censure', description: 'For sanction-reduced: the lesser sanction from the pack’s list' })
  @ValidateIf((dto: DecideAppealDto) => dto.outcome === 'sanction-reduced' || dto.reducedTo !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  reducedTo?: string;
}
