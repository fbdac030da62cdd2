import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { CONTENT_KINDS, ContentKind, FEATURES, Feature } from '@conduct/policy';
import { UnitJurisdictionDto } from '@conduct/http';

export class OfficerConcernedDto {
  @ApiProperty({ example: 'KHI-40172', description: 'Also the officer’s user id in tokens' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  serviceNumber!: string;
  @ApiProperty({ example: 'Imran Ali' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'Constable' }) @IsString() @IsNotEmpty() @MaxLength(64) rank!: string;
  @ApiProperty({ example: 'ps-clifton' }) @IsString() @IsNotEmpty() @MaxLength(64) unitId!: string;
}

export class ConductDto {
  @ApiProperty({ enum: CONTENT_KINDS, isArray: true, example: ['video'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(CONTENT_KINDS.length)
  @IsIn(CONTENT_KINDS, { each: true })
  kinds!: ContentKind[];

  @ApiProperty({ enum: FEATURES, isArray: true, example: ['uniform'] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(FEATURES.length)
  @IsIn(FEATURES, { each: true })
  features!: Feature[];

  @ApiProperty({ description: 'Posted through an official account (SND-5)' }) @IsBoolean() usedOfficialAccount!: boolean;
  @ApiProperty({ description: 'The platform is one the pack permits' }) @IsBoolean() platformPermitted!: boolean;
}

/** Captured content; the service gives it an evidenceId and records who added it. */
export class EvidenceDto {
  @ApiProperty({ example: 'a'.repeat(64), description: 'SHA-256 of the captured bytes, lower-case hex.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be the SHA-256 of the capture as 64 lower-case hex characters' })
  sha256!: string;

  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) @IsISO8601({ strict: true }) capturedAt!: string;
  @ApiProperty({ example: 's3://conduct-evidence/ev-1' }) @IsString() @IsNotEmpty() @MaxLength(500) archiveLocation!: string;
}

/** Body of `POST /cases`: report an officer's conduct on social media. */
export class ReportViolationDto {
  @IsDefined()
  @ApiProperty({ type: OfficerConcernedDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OfficerConcernedDto)
  officer!: OfficerConcernedDto;
  @IsDefined()
  @ApiProperty({ type: UnitJurisdictionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitJurisdictionDto)
  jurisdiction!: UnitJurisdictionDto;
  @ApiProperty({ example: 'tiktok' }) @IsString() @IsNotEmpty() @MaxLength(32) platform!: string;
  @ApiProperty({ example: 'https://www.tiktok.com/@imran.ali/video/1' }) @IsUrl({ require_protocol: true }) @MaxLength(2000) contentUrl!: string;
  @IsDefined() @ApiProperty({ type: ConductDto }) @IsObject() @ValidateNested() @Type(() => ConductDto) conduct!: ConductDto;
  @IsDefined() @ApiProperty({ type: EvidenceDto }) @IsObject() @ValidateNested() @Type(() => EvidenceDto) evidence!: EvidenceDto;

  @ApiProperty({ example: ['SND-1'], description: 'The clauses alleged; each must apply to the conduct under the pack in force at observedAt' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  clauses!: string[];

  @ApiProperty({ example: '2026-03-01T10:00:00Z', description: 'When the conduct happened: it chooses the policy pack version' })
  @IsISO8601({ strict: true })
  observedAt!: string;

  @ApiProperty({ example: '2026-03-02T09:00:00Z' }) @IsISO8601({ strict: true }) becameKnownAt!: string;
  @ApiProperty() @IsBoolean() onDuty!: boolean;
  @ApiProperty({ example: 'Video filmed in uniform at the Clifton police station' }) @IsString() @IsNotEmpty() @MaxLength(5000) description!: string;
}
