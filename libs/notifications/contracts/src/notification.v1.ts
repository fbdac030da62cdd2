import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** What a notice is about; each kind has its own template in English and Urdu. */
export const NOTICE_KINDS = [
  'approval-granted',
  'approval-rejected',
  'approval-revoked',
  'takedown-notice',
  'takedown-reminder',
  'takedown-deadline-missed',
  'case-escalated',
  'finding-recorded',
  'sanction-imposed',
  'appeal-decided',
  'early-intervention',
  'show-cause-notice',
  'show-cause-reminder',
  'show-cause-reply-lapsed',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Who receives notices in a unit (the recipient directory's roles), plus the officer concerned. */
export const RECIPIENT_ROLES = ['OFFICER', 'SUPERVISOR', 'SSP', 'DIG', 'MEDIA_TEAM'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export const NOTICE_LANGUAGES = ['en', 'ur'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export const NOTICE_CHANNELS = ['email'] as const;

@JSONSchema({ description: 'Who receives a notice: a role of the recipient directory, or the officer concerned.' })
export class NoticeRecipientV1 {
  @IsIn(RECIPIENT_ROLES) role!: string;
  @JSONSchema({ description: "The officer's service number, or the directory entry's id for a unit role." })
  @IsString()
  @IsNotEmpty()
  id!: string;
  @IsString() @IsNotEmpty() name!: string;
  @JSONSchema({ description: 'The email address.' })
  @IsString()
  @IsNotEmpty()
  address!: string;
  @IsIn(NOTICE_LANGUAGES) language!: string;
}

/**
 * `NotificationQueued` v1 on conduct.notifications.v1: a notice will go to `recipient` at or after
 * `sendAfter` (now for a notice, before the due date for a reminder). Key = notificationId, which
 * is derived from the event that caused it, so a redelivered cause queues nothing new.
 */
export class NotificationQueuedV1 {
  @IsString() @IsNotEmpty() notificationId!: string;
  @IsIn(NOTICE_KINDS) kind!: string;
  @IsIn(NOTICE_CHANNELS) channel!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsOptional() @IsString() approvalId?: string;
  @JSONSchema({ description: 'The takedown notice a notice or reminder is about.' })
  @IsOptional()
  @IsString()
  noticeId?: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => NoticeRecipientV1) recipient!: NoticeRecipientV1;
  @IsString() @IsNotEmpty() subject!: string;
  @JSONSchema({ description: 'The event that caused the notice (on conduct.approvals.v1 or conduct.cases.v1).' })
  @IsString()
  @IsNotEmpty()
  sourceEventId!: string;
  @IsString() @IsNotEmpty() sourceEventType!: string;
  @IsISO8601() sendAfter!: string;
  @IsISO8601() queuedAt!: string;
}

/** `NotificationSent` v1: the mail server accepted the notice. */
export class NotificationSentV1 {
  @IsString() @IsNotEmpty() notificationId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsOptional() @IsString() approvalId?: string;
  @IsInt() @Min(1) attempt!: number;
  /** The Message-ID header, derived from notificationId. */
  @IsString() @IsNotEmpty() messageId!: string;
  @IsISO8601() sentAt!: string;
}

/** `NotificationFailed` v1: one attempt failed; `final` when no attempt follows. */
export class NotificationFailedV1 {
  @IsString() @IsNotEmpty() notificationId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsOptional() @IsString() approvalId?: string;
  @IsInt() @Min(1) attempt!: number;
  @IsString() @IsNotEmpty() reason!: string;
  @IsBoolean() final!: boolean;
  @IsOptional() @IsISO8601() nextAttemptAt?: string;
  @IsISO8601() failedAt!: string;
}

/** Why reminders were cancelled: the takedown complied with, the case closed, the show-cause replied to or its period lapsed. */
export const CANCELLATION_REASONS = ['content-removed', 'case-closed', 'show-cause-replied', 'show-cause-lapsed'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** `NotificationCancelled` v1: a queued notice (a reminder) will not be sent. */
export class NotificationCancelledV1 {
  @IsString() @IsNotEmpty() notificationId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsIn(CANCELLATION_REASONS) reason!: string;
  @IsISO8601() cancelledAt!: string;
}
