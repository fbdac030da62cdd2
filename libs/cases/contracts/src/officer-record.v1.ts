import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsNotEmpty, IsString, IsUUID } from 'class-validator';

/*
 * An officer's own record on their stream (streamType `officer`, key = service number): legal
 * holds on their personal data and its erasure (docs/privacy.md). Names and addresses are sealed
 * under a key per officer; PersonalDataErased records that the key was deleted.
 */

/** `LegalHoldPlaced` v1: an administrator froze the officer's personal data: no erasure, by request or retention, while it stands. */
export class LegalHoldPlacedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @IsUUID() holdId!: string;
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(20) @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() placedBy!: string;
  @IsISO8601() placedAt!: string;
}

/** `LegalHoldReleased` v1: the hold `holdId` no longer stands. */
export class LegalHoldReleasedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @IsUUID() holdId!: string;
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(20) @IsString({ each: true }) reasons!: string[];
  @IsString() @IsNotEmpty() releasedBy!: string;
  @IsISO8601() releasedAt!: string;
}

/**
 * `PersonalDataErased` v1: the officer's key was deleted. Every value sealed under it (their name in
 * cases, their name and address in notices) reads `[erased]` from then on; every chain still
 * verifies, since the events hash the sealed values. `basis` is `request` (an administrator, with
 * reasons) or `retention` (the retention schedule's run).
 */
export class PersonalDataErasedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(20) @IsString({ each: true }) reasons!: string[];
  @IsIn(['request', 'retention']) basis!: string;
  @IsString() @IsNotEmpty() erasedBy!: string;
  @IsISO8601() erasedAt!: string;
}
