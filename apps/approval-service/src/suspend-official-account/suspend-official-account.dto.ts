import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Body of `POST /official-accounts/:accountId/suspend`. */
export class SuspendOfficialAccountDto {
  @ApiProperty({ example: 'Password leaked; posting stopped until credentials are rotated' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}
