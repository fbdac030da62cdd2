import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const NOTICE_STATUSES = ['queued', 'retrying', 'sent', 'failed', 'cancelled', 'unresolved'] as const;

/** Filters of `GET /notifications`; the caller's scope always applies. */
export class NotificationsLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Notices about this case' }) @IsOptional() @IsString() @MaxLength(64) caseId?: string;
  @ApiPropertyOptional({ description: 'Notices about this approval request' }) @IsOptional() @IsString() @MaxLength(64) approvalId?: string;
  @ApiPropertyOptional({ example: 'KHI-40172', description: "An e-mail address, an officer's service number or a directory entry id" })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  recipient?: string;
  @ApiPropertyOptional({ enum: NOTICE_STATUSES }) @IsOptional() @IsIn(NOTICE_STATUSES) status?: string;
}

export interface NoticeAttempt {
  attempt: number;
  outcome: 'sent' | 'failed';
  at: string;
  messageId?: string;
  reason?: string;
  final?: boolean;
  nextAttemptAt?: string;
}

/** One notice in the audit log: what, to whom, about what, and what became of it. */
export interface NotificationLogEntry {
  notificationId: string;
  kind: string;
  status: string;
  reason: string | null;
  caseId: string | null;
  approvalId: string | null;
  noticeId: string | null;
  recipient: { role: string; id: string | null; name: string | null; address: string | null; language: string | null };
  subject: string | null;
  source: { eventId: string; type: string };
  sendAfter: string | null;
  queuedAt: string;
  updatedAt: string;
  attempts: NoticeAttempt[];
  jurisdiction: { province: string | null; range: string | null; district: string | null; unitId: string | null };
  /** On a single entry: the fields left out (nulled) for this reader; absent when none. */
  redacted?: string[];
}
