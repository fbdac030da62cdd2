import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsDefined, IsInt, IsISO8601, IsNotEmpty, IsObject, IsString, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export class EarlyInterventionThresholdV1 {
  @IsInt() @Min(1) substantiatedFindings!: number;
  @IsInt() @Min(1) withinDays!: number;
}

export class PolicyPackReferenceV1 {
  @IsString() @IsNotEmpty() packId!: string;
  @IsInt() @Min(1) version!: number;
}

/** `EarlyInterventionFlagRaised` v1: an officer reached the pack's threshold of substantiated
 * findings within its rolling window. Appended to the officer's stream: key = serviceNumber. */
export class EarlyInterventionFlagRaisedV1 {
  @IsString() @IsNotEmpty() serviceNumber!: string;
  @JSONSchema({ description: 'The cases whose substantiated findings fall in the window, oldest first.' })
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  caseIds!: string[];
  @IsDefined() @IsObject() @ValidateNested() @Type(() => EarlyInterventionThresholdV1) threshold!: EarlyInterventionThresholdV1;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PolicyPackReferenceV1) policy!: PolicyPackReferenceV1;
  @IsISO8601() windowStart!: string;
  @IsISO8601() raisedAt!: string;
}
