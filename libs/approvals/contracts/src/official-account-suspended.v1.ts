import { IsISO8601, IsNotEmpty, IsString, IsUUID } from 'class-validator';

/** `OfficialAccountSuspended` v1 on conduct.approvals.v1: nothing may go out through the account
 * until it is reinstated (SND-1, SND-5). Key = accountId. */
export class OfficialAccountSuspendedV1 {
  @IsUUID('all') accountId!: string;
  @IsString() @IsNotEmpty() reason!: string;
  @IsString() @IsNotEmpty() suspendedBy!: string;
  @IsISO8601() suspendedAt!: string;
}
