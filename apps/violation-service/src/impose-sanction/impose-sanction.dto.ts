import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ReasonsDto } from '../reasons.dto';

export class ImposeSanctionDto extends ReasonsDto {
  @ApiProperty({ example: 'censure', description: 'A sanction from the list of the case’s policy pack' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sanction!: string;
}
