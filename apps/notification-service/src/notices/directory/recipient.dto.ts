import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NOTICE_LANGUAGES, RECIPIENT_ROLES } from '@conduct/notifications-contracts';
import { PageQueryDto } from '@conduct/queries';

/** A directory entry as an ADMIN writes it (POST, PUT) and as the seed file lists it. */
export class RecipientDto {
  @ApiProperty({ example: 'ps-clifton', description: 'The unit whose notices this address receives' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'unitId must be a lower-case kebab id, e.g. ps-clifton' })
  unitId!: string;

  @ApiProperty({
    enum: RECIPIENT_ROLES,
    description: "OFFICER with a serviceNumber: one officer; OFFICER without: the unit's officer-facing address",
  })
  @IsIn(RECIPIENT_ROLES)
  role!: string;

  @ApiProperty({ example: 'SSP Karachi South' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'ssp.south@sindhpolice.local' }) @IsEmail({ require_tld: false }) @MaxLength(254) email!: string;
  @ApiProperty({ enum: NOTICE_LANGUAGES, description: 'The language of the notices this address receives' })
  @IsIn(NOTICE_LANGUAGES)
  language!: string;

  @ApiPropertyOptional({ example: 'KHI-40172', description: "Only with role OFFICER: this officer's own address" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  serviceNumber?: string;
}

/** PATCH: any subset of the fields. */
export class RecipientPatchDto extends PartialType(RecipientDto) {}

/** Filters of `GET /recipients`. */
export class RecipientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ enum: RECIPIENT_ROLES }) @IsOptional() @IsIn(RECIPIENT_ROLES) role?: string;
  @ApiPropertyOptional({ example: 'KHI-40172' }) @IsOptional() @IsString() @MaxLength(64) serviceNumber?: string;
}

export interface Recipient {
  id: string;
  unitId: string;
  role: string;
  name: string;
  email: string;
  language: string;
  serviceNumber: string | null;
  createdAt: string;
  /** The subject of the token that created the entry (`seed` for RECIPIENTS_SEED_FILE); null before edits were recorded. */
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** One change to the directory: who made it, when, and the entry before and after. */
export interface RecipientEdit {
  recipientId: string;
  action: 'created' | 'updated' | 'removed';
  editedBy: string;
  editedAt: string;
  before: Recipient | null;
  after: Recipient | null;
}
