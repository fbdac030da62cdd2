import { IsISO8601, IsNotEmpty, IsString, IsUUID } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** `OfficialAccountReinstated` v1 on conduct.approvals.v1: a suspended account is active again. Key = accountId. */
export class OfficialAccountReinstatedV1 {
  @JSONSchema({ description: "The official account's id, derived from platform and handle; also its stream id and the message key of its events." })
  @IsUUID('all')
  accountId!: string;
  @IsString() @IsNotEmpty() reason!: string;
  @IsString() @IsNotEmpty() reinstatedBy!: string;
  @IsISO8601() reinstatedAt!: string;
}
