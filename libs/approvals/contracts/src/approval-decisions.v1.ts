import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsDefined, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { PolicyReferenceV1 } from './approval-requested.v1';
import { JSONSchema } from 'class-validator-jsonschema';

/** What every decision by an approving authority carries. */
class ApprovalDecisionV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @JSONSchema({ description: 'The approving authority (DIG, SSP or Unit Head); never the requester.' })
  @IsString()
  @IsNotEmpty()
  decidedBy!: string;
  @IsISO8601() decidedAt!: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PolicyReferenceV1) policy!: PolicyReferenceV1;
}

/** `ApprovalGranted` v1: may be published through the named account inside the window. */
export class ApprovalGrantedV1 extends ApprovalDecisionV1 {
  @JSONSchema({ description: "The authority's terms for the publication; may be empty." })
  @IsArray()
  @IsString({ each: true })
  conditions!: string[];
  @JSONSchema({ description: 'Publication must not happen before this moment.' })
  @IsISO8601()
  validFrom!: string;
  @JSONSchema({ description: 'Publication must not happen after this moment; then the approval expires.' })
  @IsISO8601()
  validUntil!: string;
}

/** `ApprovalRejected` v1. */
export class ApprovalRejectedV1 extends ApprovalDecisionV1 {
  @JSONSchema({ description: 'Why, for the requester.' })
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  reasons!: string[];
}

/** `ApprovalRevoked` v1: a granted approval no longer covers publication. */
export class ApprovalRevokedV1 extends ApprovalDecisionV1 {
  @IsString() @IsNotEmpty() reason!: string;
}

/** `ApprovalWithdrawn` v1: the requester took a pending request back. */
export class ApprovalWithdrawnV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @JSONSchema({ description: 'The requester; nobody else may withdraw a request.' })
  @IsString()
  @IsNotEmpty()
  withdrawnBy!: string;
  @IsISO8601() withdrawnAt!: string;
  @IsOptional() @IsString() reason?: string;
}

/** `ApprovalExpired` v1: the validity window passed without publication. */
export class ApprovalExpiredV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @JSONSchema({ description: 'The end of the validity window that passed.' })
  @IsISO8601()
  validUntil!: string;
  @IsISO8601() expiredAt!: string;
}

class PublicationV1 {
  @IsString() @IsNotEmpty() approvalId!: string;
  @JSONSchema({ description: 'Where the post is.' })
  @IsString()
  @IsNotEmpty()
  url!: string;
  @JSONSchema({ description: 'The account the post went out through; for a refusal it may not be the approved one.' })
  @IsString()
  @IsNotEmpty()
  officialAccountId!: string;
  @JSONSchema({ description: 'SHA-256 of the exact media file (64 lower-case hex characters).' })
  @Matches(/^[0-9a-f]{64}$/)
  mediaSha256!: string;
  @JSONSchema({ description: 'When the post went out on the platform.' })
  @IsISO8601()
  publishedAt!: string;
  @JSONSchema({ description: 'The media-team member or authority who recorded the publication.' })
  @IsString()
  @IsNotEmpty()
  recordedBy!: string;
}

/** `ContentPublished` v1: approved media went out through the approved official account. The
 * violation service matches reported content against `mediaSha256` (approval coverage). */
export class ContentPublishedV1 extends PublicationV1 {
  @IsISO8601() recordedAt!: string;
}

/** `PublicationRefused` v1: a publication the policy refused, with the clause (SND-1, SND-5). */
export class PublicationRefusedV1 extends PublicationV1 {
  @IsISO8601() refusedAt!: string;
  @JSONSchema({ description: 'The clause the publication breaks, SND-1 or SND-5.' })
  @IsString()
  @IsNotEmpty()
  clause!: string;
  @JSONSchema({
    description:
      'The check that failed: publication.not-approved, publication.media-mismatch, publication.outside-window, publication.account-not-active, publication.other-account.',
  })
  @IsString()
  @IsNotEmpty()
  code!: string;
  @JSONSchema({ description: 'The same, in words.' })
  @IsString()
  @IsNotEmpty()
  reason!: string;
}
