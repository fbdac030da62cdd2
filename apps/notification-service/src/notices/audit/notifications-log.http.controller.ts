import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, hiddenClasses, Principal, redact, Roles, viewersOf } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { IdParam } from '@conduct/http';
import { Filters, Page } from '@conduct/queries';
import { NoticeAttempt, NotificationLogEntry, NotificationsLogQueryDto } from './notifications-log.dto';

/** `redacted`: the fields left out (nulled) for this reader by the redaction policy; absent when none. */
type NotificationsLogPage = Page<NotificationLogEntry> & { redacted?: string[] };

interface LogRow {
  notification_id: string;
  kind: string;
  status: string;
  reason: string | null;
  case_id: string | null;
  approval_id: string | null;
  notice_id: string | null;
  recipient_role: string;
  recipient_id: string | null;
  recipient_name: string | null;
  recipient_address: string | null;
  language: string | null;
  subject: string | null;
  source_event_id: string;
  source_event_type: string;
  send_after: Date | null;
  queued_at: Date;
  updated_at: Date;
  attempts: NoticeAttempt[];
  province: string | null;
  range: string | null;
  district: string | null;
  unit_id: string | null;
}

const toEntry = (row: LogRow): NotificationLogEntry => ({
  notificationId: row.notification_id,
  kind: row.kind,
  status: row.status,
  reason: row.reason,
  caseId: row.case_id,
  approvalId: row.approval_id,
  noticeId: row.notice_id,
  recipient: { role: row.recipient_role, id: row.recipient_id, name: row.recipient_name, address: row.recipient_address, language: row.language },
  subject: row.subject,
  source: { eventId: row.source_event_id, type: row.source_event_type },
  sendAfter: row.send_after?.toISOString() ?? null,
  queuedAt: row.queued_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  attempts: row.attempts,
  jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
});

/** The audit log of notices, written in the same transactions as the notices' own events. */
@ApiTags('notifications')
@ApiBearerAuth()
@Roles('ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'HQ_ANALYST')
@Controller('notifications')
export class NotificationsLogController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Notices in your scope, newest first: per case, per recipient, per status',
    description:
      'status: queued (waiting for its time), retrying, sent, failed (for good), cancelled (a reminder after removal), unresolved (no directory entry).',
  })
  async list(@Query() query: NotificationsLogQueryDto, @CurrentPrincipal() principal: Principal): Promise<NotificationsLogPage> {
    const hidden = hiddenClasses(viewersOf(principal));
    const filters = new Filters()
      .inScope(principal.scope)
      .equals('case_id', query.caseId)
      .equals('approval_id', query.approvalId)
      .equals('status', query.status);
    // A reader who may not see addresses may not probe them either: they filter by service number or entry id.
    if (query.recipient !== undefined && hidden.has('contact')) filters.equals('recipient_id', query.recipient);
    else if (query.recipient !== undefined)
      filters.where('(lower(recipient_address) = lower(?) OR recipient_id = ?)', query.recipient, query.recipient);
    const page = await filters.page<LogRow>(this.dataSource.manager, 'notifications_log', 'queued_at DESC, notification_id', query);
    const { value: items, redacted } = redact(page.items.map(toEntry), hidden);
    return { ...page, items, ...(redacted.length ? { redacted } : {}) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notice with every delivery attempt; outside your scope it does not exist (404)' })
  async get(@IdParam('id') id: string, @CurrentPrincipal() principal: Principal): Promise<NotificationLogEntry> {
    const page = await new Filters()
      .inScope(principal.scope)
      .equals('notification_id', id)
      .page<LogRow>(this.dataSource.manager, 'notifications_log', 'notification_id', { page: 1, pageSize: 1 });
    const [row] = page.items;
    if (!row) throw new DomainError('not-found', 'notification.not-found', `No notification ${id}`);
    const { value, redacted } = redact(toEntry(row), hiddenClasses(viewersOf(principal)));
    return redacted.length ? { ...value, redacted } : value;
  }
}
