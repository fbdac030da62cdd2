import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export { EvidenceDto as AddEvidenceDto } from '../report-violation/report-violation.dto';

export class AssignInvestigatorDto {
  @ApiProperty({ example: 'ia-rashid', description: 'The user id of the internal affairs investigator' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  investigatorId!: string;
}

export class AddNoteDto {
  @ApiProperty({ example: 'Called the SHO; the officer was on leave that day' }) @IsString() @IsNotEmpty() @MaxLength(10_000) text!: string;
}
