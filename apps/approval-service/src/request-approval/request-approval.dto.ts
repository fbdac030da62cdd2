import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { FEATURES, Feature } from '@conduct/approvals-domain';
import { UnitJurisdictionDto } from '@conduct/http';

/** Body of `POST /approvals`: ask to publish media that shows uniform, vehicles, equipment or
 * offices (SND-1, SND-2) through an official account. */
export class RequestApprovalDto {
  @IsDefined()
  @ApiProperty({ type: UnitJurisdictionDto, description: 'Where the requester serves; unitId is the requesting unit.' })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitJurisdictionDto)
  jurisdiction!: UnitJurisdictionDto;

  @ApiProperty({ example: 'facebook' }) @IsString() @IsNotEmpty() @MaxLength(32) platform!: string;

  @ApiProperty({ example: 'acc-ssp-south', description: 'The official account the content will go out through (SND-5).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  officialAccountId!: string;

  @ApiProperty({ example: 'Road safety week' }) @IsString() @IsNotEmpty() @MaxLength(200) title!: string;

  @ApiProperty({ example: 'Traffic police explain helmet rules' }) @IsString() @MaxLength(5000) description!: string;

  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', description: 'SHA-256 of the media, lower-case hex.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'mediaSha256 must be the SHA-256 of the media as 64 lower-case hex characters' })
  mediaSha256!: string;

  @ApiProperty({ enum: FEATURES, isArray: true, example: ['uniform', 'vehicle'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(FEATURES.length)
  @IsIn(FEATURES, { each: true })
  features!: Feature[];

  @ApiProperty({ example: '2026-12-01T09:00:00Z' }) @IsISO8601({ strict: true }) intendedPublicationAt!: string;
}
