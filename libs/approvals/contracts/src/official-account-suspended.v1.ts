import { IsISO8601, IsNotEmpty, IsString, IsUUID } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** `OfficialAccountSuspended` v1 on conduct.approvals.v1: nothing may go out through the account
 * until it is reinstated (SND-1, SND-5). Key = accountId. */
export class OfficialAccountSuspendedV1 {
  @JSONSchema({ description: "The official account's id, derived from platform and handle; also its stream id and the message key of its events." })
  @IsUUID('all')
  accountId!: string;
  @IsString() @IsNotEmpty() reason!: string;
  @IsString() @IsNotEmpty() suspendedBy!: string;
  @IsISO8601() suspendedAt!: string;
}
