import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsDefined, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { PolicyReferenceV1 } from './approval-requested.v1';

/** What every decision by an approving authority carries. */
class ApprovalDecisionV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsString() @IsNotEmpty() decidedBy!: string;
  @IsISO8601() decidedAt!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PolicyReferenceV1) policy!: PolicyReferenceV1;
}

/** `ApprovalGranted` v1: may be published through the named account inside the window. */
export class ApprovalGrantedV1 extends ApprovalDecisionV1 {
  @IsArray() @IsString({ each: true }) conditions!: string[];
  @IsISO8601() validFrom!: string;
  @IsISO8601() validUntil!: string;
}

/** `ApprovalRejected` v1. */
export class ApprovalRejectedV1 extends ApprovalDecisionV1 {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) reasons!: string[];
}

/** `ApprovalRevoked` v1: a granted approval no longer covers publication. */
export class ApprovalRevokedV1 extends ApprovalDecisionV1 {
  @IsString() @IsNotEmpty() reason!: string;
}

/** `ApprovalWithdrawn` v1: the requester took a pending request back. */
export class ApprovalWithdrawnV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsString() @IsNotEmpty() withdrawnBy!: string;
  @IsISO8601() withdrawnAt!: string;
  @IsOptional() @IsString() reason?: string;
}

/** `ApprovalExpired` v1: the validity window passed without publication. */
export class ApprovalExpiredV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsISO8601() validUntil!: string;
  @IsISO8601() expiredAt!: string;
}

class PublicationV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @IsString() @IsNotEmpty() url!: string;
  @IsString() @IsNotEmpty() officialAccountId!: string;
  @Matches(/^[0-9a-f]{64}$/) mediaSha256!: string;
  @IsISO8601() publishedAt!: string;
  @IsString() @IsNotEmpty() recordedBy!: string;
}

/** `ContentPublished` v1: approved media went out through the approved official account. The
 * violation service matches reported content against `mediaSha256` (approval coverage). */
export class ContentPublishedV1 extends PublicationV1 {
  @IsISO8601() recordedAt!: string;
}

/** `PublicationRefused` v1: a publication the policy refused, with the clause (SND-1, SND-5). */
export class PublicationRefusedV1 extends PublicationV1 {
  @IsISO8601() refusedAt!: string;
  @IsString() @IsNotEmpty() clause!: string;
  @IsString() @IsNotEmpty() code!: string;
  @IsString() @IsNotEmpty() reason!: string;
}
