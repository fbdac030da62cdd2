import { IsBoolean, IsIn, IsISO8601, IsNotEmpty, IsString } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** `TakedownNoticeIssued` v1: the officer must remove the content by `dueAt` (SND-6). */
export class TakedownNoticeIssuedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() noticeId!: string;
  @IsString() @IsNotEmpty() contentUrl!: string;
  @JSONSchema({ description: 'The service number of the officer served.' })
  @IsString()
  @IsNotEmpty()
  servedOn!: string;
  @IsISO8601() servedAt!: string;
  @JSONSchema({ description: "servedAt plus the pack's takedown period (SND-6)." })
  @IsISO8601()
  dueAt!: string;
  @IsString() @IsNotEmpty() issuedBy!: string;
  @IsISO8601() issuedAt!: string;
}

/** `ContentRemovalConfirmed` v1. */
export class ContentRemovalConfirmedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() noticeId!: string;
  @IsString() @IsNotEmpty() verifiedBy!: string;
  @IsISO8601() verifiedAt!: string;
  @IsBoolean() withinDeadline!: boolean;
  @IsISO8601() recordedAt!: string;
}

/** `TakedownDeadlineMissed` v1: the content was still up at `dueAt` (SND-6). */
export class TakedownDeadlineMissedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() noticeId!: string;
  @IsISO8601() dueAt!: string;
  @IsISO8601() missedAt!: string;
}

export const CONTRACT_ESCALATION_REASONS = ['takedown-deadline-missed'] as const;

/** `CaseEscalated` v1: the case moves up the pack's chain of command, `from` → `to` ranks. */
export class CaseEscalatedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @JSONSchema({ description: 'The rank that answered for the case.' })
  @IsString()
  @IsNotEmpty()
  from!: string;
  @JSONSchema({ description: 'The rank that answers for it now.' })
  @IsString()
  @IsNotEmpty()
  to!: string;
  @IsIn(CONTRACT_ESCALATION_REASONS) reason!: string;
  @IsString() @IsNotEmpty() noticeId!: string;
  @IsISO8601() escalatedAt!: string;
}
