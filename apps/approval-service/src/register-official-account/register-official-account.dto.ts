import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import { OFFICIAL_ACCOUNT_KINDS, OPERATED_BY_LEVELS, OfficialAccountKind, OperatedByLevel } from '@conduct/approvals-domain';
import { UnitJurisdictionDto } from '@conduct/http';

export class MediaTeamDto {
  @ApiProperty({ example: 'SSP South media cell' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'media-south' }) @IsString() @IsNotEmpty() @MaxLength(64) unitId!: string;
}

/** Body of `POST /official-accounts`: add an institutional account to the registry (SND-5). */
export class RegisterOfficialAccountDto {
  @ApiProperty({ example: 'facebook', description: 'Platform name; compared without case.' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$/, { message: 'platform must be a platform name such as facebook, x or youtube' })
  platform!: string;

  @ApiProperty({ example: '@SSPKarachiSouth', description: 'The handle on the platform; compared without case or a leading @.' })
  @Matches(/^@?[A-Za-z0-9._-]{1,100}$/, { message: 'handle must be letters, digits, dots, dashes or underscores, with an optional leading @' })
  handle!: string;

  @ApiPropertyOptional({ example: 'https://facebook.com/SSPKarachiSouth' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'url must be an https URL' })
  @MaxLength(500)
  url?: string;

  @ApiProperty({
    enum: OFFICIAL_ACCOUNT_KINDS,
    example: 'institutional',
    description: 'What the account is. A personal account can never be registered as official (SND-5): the request is refused with 422.',
  })
  @IsIn(OFFICIAL_ACCOUNT_KINDS)
  kind!: OfficialAccountKind;

  @IsDefined()
  @ApiProperty({ type: UnitJurisdictionDto, description: 'The owning unit; it must lie within your scope.' })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitJurisdictionDto)
  jurisdiction!: UnitJurisdictionDto;

  @IsDefined()
  @ApiProperty({ type: MediaTeamDto, description: 'The media team that runs the account.' })
  @IsObject()
  @ValidateNested()
  @Type(() => MediaTeamDto)
  mediaTeam!: MediaTeamDto;

  @ApiProperty({
    enum: OPERATED_BY_LEVELS,
    example: 'SSP',
    description: 'Whose media team runs it (SND-5). SSP accounts name a district, DIG accounts a range.',
  })
  @IsIn(OPERATED_BY_LEVELS)
  operatedBy!: OperatedByLevel;
}
