import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

/** Where a unit sits: its province, and its range and district where it has them. */
export class UnitPlacementDto {
  @ApiProperty({ example: 'sindh' }) @IsString() @IsNotEmpty() @MaxLength(64) province!: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-keamari' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) district?: string;
}

/** `POST /units` and each entry of UNITS_SEED_FILE. */
export class OrgUnitDto extends UnitPlacementDto {
  @ApiProperty({ example: 'ps-clifton' }) @IsString() @IsNotEmpty() @MaxLength(64) unitId!: string;
  @ApiProperty({ example: 'Clifton police station' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}

/** `POST /units/:unitId/move`. */
export class MoveUnitDto {
  @ApiProperty({ type: UnitPlacementDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => UnitPlacementDto) to!: UnitPlacementDto;
  @ApiProperty({ example: 'Keamari district carved out of Karachi South' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

/** Filters of `GET /units`; the caller's scope always applies on top. */
export class UnitsQueryDto {
  @ApiPropertyOptional({ example: 'sindh' }) @IsOptional() @IsString() @MaxLength(64) province?: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
}

export class OrgUnitView {
  @ApiProperty({ example: 'ps-clifton' }) unitId!: string;
  @ApiProperty({ example: 'Clifton police station' }) name!: string;
  @ApiProperty({ example: 'sindh' }) province!: string;
  @ApiPropertyOptional({ example: 'karachi' }) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) district?: string;
}

export class OrgUnitHistoryEntry {
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'UnitMoved' }) type!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ example: { id: 'admin-hq', role: 'ADMIN' } }) actor!: { id: string; role: string };
  @ApiProperty({ type: Object }) data!: object;
}

/** A unit where it lies now, with its whole edit history (the audit). */
export class OrgUnitDetails {
  @ApiProperty({ type: OrgUnitView }) unit!: OrgUnitView;
  @ApiProperty({ description: 'The stream version, also sent as ETag' }) version!: number;
  @ApiProperty({ type: [OrgUnitHistoryEntry] }) history!: OrgUnitHistoryEntry[];
}

export class UnitsList {
  @ApiProperty({ type: [OrgUnitView] }) items!: OrgUnitView[];
}

/** What register and move answer; the version is also the ETag. */
export class UnitChanged {
  @ApiProperty({ example: 'ps-clifton' }) unitId!: string;
  @ApiProperty({ example: 2 }) version!: number;
}
