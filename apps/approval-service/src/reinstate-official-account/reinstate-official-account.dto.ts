import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Body of `POST /official-accounts/:accountId/reinstate`. */
export class ReinstateOfficialAccountDto {
  @ApiProperty({ example: 'Credentials rotated; the media team has control again' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}
