import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { placementOf } from '@conduct/jurisdiction';
import { validateJsonArray } from '@conduct/messaging';

/** One entry of UNITS_SEED_FILE: a unit and where it lies. */
export class UnitSeedEntry {
  @IsString() @IsNotEmpty() @MaxLength(64) unitId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) province!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) range?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) district?: string;
}

export interface SeedUnit {
  unitId: string;
  name: string;
  province: string;
  range?: string;
  district?: string;
}

export class InvalidUnitsSeedError extends Error {
  constructor(file: string, reason: string) {
    super(`UNITS_SEED_FILE ${file}: ${reason}`);
    this.name = 'InvalidUnitsSeedError';
  }
}

/** Every unit of a seed file, validated like a POST body; the first bad one is named and nothing is loaded. */
export async function parseUnitsSeed(file: string, json: string): Promise<SeedUnit[]> {
  const checked = await validateJsonArray(UnitSeedEntry, json, 'unit');
  if (!checked.valid) throw new InvalidUnitsSeedError(file, checked.reason);
  // Plain objects without absent levels: approval-service hashes them into each unit's first event.
  return checked.value.map((unit) => ({ unitId: unit.unitId, name: unit.name, ...placementOf(unit) }));
}
