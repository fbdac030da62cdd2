import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export const CONTRACT_OPERATED_BY_LEVELS = ['DIG', 'SSP', 'UNIT_HEAD'] as const;

@JSONSchema({ description: "The unit that owns an official account; unlike a request's jurisdiction it always names the unit." })
export class OwningUnitV1 {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() range?: string;
  @IsOptional() @IsString() district?: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

@JSONSchema({ description: 'The media team that runs an official account (SND-5).' })
export class MediaTeamV1 {
  @IsString() @IsNotEmpty() name!: string;
  @IsString() @IsNotEmpty() unitId!: string;
}

/** `OfficialAccountRegistered` v1 on conduct.approvals.v1: an institutional account joined the
 * registry, run by the media team of the concerned DIG, SSP or Unit Head (SND-5). Key = accountId. */
export class OfficialAccountRegisteredV1 {
  @JSONSchema({ description: "The official account's id, derived from platform and handle; also its stream id and the message key of its events." })
  @IsUUID('all')
  accountId!: string;
  @JSONSchema({ description: 'Lower-case, e.g. facebook.' })
  @IsString()
  @IsNotEmpty()
  platform!: string;
  @JSONSchema({ description: 'Lower-case, without a leading `@`.' })
  @IsString()
  @IsNotEmpty()
  handle!: string;
  @IsOptional() @IsString() url?: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => OwningUnitV1) jurisdiction!: OwningUnitV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => MediaTeamV1) mediaTeam!: MediaTeamV1;
  @JSONSchema({ description: 'Whose media team runs the account (SND-5).' })
  @IsIn(CONTRACT_OPERATED_BY_LEVELS)
  operatedBy!: string;
  @IsString() @IsNotEmpty() registeredBy!: string;
  @IsISO8601() registeredAt!: string;
}
