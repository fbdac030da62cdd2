import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

/** Where a unit sits: its province, and its range and district where it has them. */
export class UnitPlacementV1 {
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() @IsNotEmpty() range?: string;
  @IsOptional() @IsString() @IsNotEmpty() district?: string;
}

/** `UnitRegistered` v1 on conduct.approvals.v1: a unit joined the force's hierarchy registry,
 * which approval-service keeps. Key = `org-unit:<unitId>`. */
export class UnitRegisteredV1 {
  @IsString() @IsNotEmpty() unitId!: string;
  @IsString() @IsNotEmpty() name!: string;
  @IsString() @IsNotEmpty() province!: string;
  @IsOptional() @IsString() @IsNotEmpty() range?: string;
  @IsOptional() @IsString() @IsNotEmpty() district?: string;
  @IsString() @IsNotEmpty() registeredBy!: string;
  @IsISO8601() registeredAt!: string;
}

/** `UnitMoved` v1 on conduct.approvals.v1: an administrator placed a unit elsewhere in the
 * hierarchy (a district split, a range redrawn). Key = `org-unit:<unitId>`. */
export class UnitMovedV1 {
  @IsString() @IsNotEmpty() unitId!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => UnitPlacementV1) from!: UnitPlacementV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => UnitPlacementV1) to!: UnitPlacementV1;
  @IsString() @IsNotEmpty() reason!: string;
  @IsString() @IsNotEmpty() movedBy!: string;
  @IsISO8601() movedAt!: string;
}

/** The hierarchy registry's events on conduct.approvals.v1 (part of approvalContracts). */
export const orgUnitContracts = {
  UnitRegistered: { schemaVersion: 1, data: UnitRegisteredV1 },
  UnitMoved: { schemaVersion: 1, data: UnitMovedV1 },
} as const;
