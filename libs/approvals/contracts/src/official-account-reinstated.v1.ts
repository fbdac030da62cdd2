import { IsISO8601, IsNotEmpty, IsString, IsUUID } from 'class-validator';

/** `OfficialAccountReinstated` v1 on conduct.approvals.v1: a suspended account is active again. Key = accountId. */
export class OfficialAccountReinstatedV1 {
  @IsUUID('all') accountId!: string;
  @IsString() @IsNotEmpty() reason!: string;
  @IsString() @IsNotEmpty() reinstatedBy!: string;
  @IsISO8601() reinstatedAt!: string;
}
