import { IQueryHandler, QueryHandler, Query } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { readsOwnRequestsOnly } from '../approval-readers';
import { Principal } from '@conduct/auth';
import { Filters, Page } from '@conduct/queries';
import { ApprovalsListQueryDto } from './approvals-list.dto';

export class ApprovalsListQuery extends Query<Page<ApprovalSummary>> {
  constructor(
    readonly filters: ApprovalsListQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface ApprovalSummary {
  approvalId: string;
  requesterId: string;
  jurisdiction: { province: string; range: string | null; district: string | null; unitId: string };
  platform: string;
  officialAccountId: string;
  title: string;
  status: string;
  requestedAt: string;
  decidedAt: string | null;
  validUntil: string | null;
  refusedPublications: number;
  version: number;
}

interface Row {
  approval_id: string;
  requester_id: string;
  province: string;
  range: string | null;
  district: string | null;
  unit_id: string;
  platform: string;
  official_account_id: string;
  title: string;
  status: string;
  requested_at: Date;
  decided_at: Date | null;
  valid_until: Date | null;
  refused_publications: number;
  version: number;
}

@QueryHandler(ApprovalsListQuery)
export class ApprovalsListHandler implements IQueryHandler<ApprovalsListQuery, Page<ApprovalSummary>> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filters, principal }: ApprovalsListQuery): Promise<Page<ApprovalSummary>> {
    const requester = filters.requester === 'me' || readsOwnRequestsOnly(principal) ? principal.subject : filters.requester;
    const page = await (requester === principal.subject ? new Filters() : new Filters().inScope(principal.scope))
      .equals('requester_id', requester)
      .equals('status', filters.status)
      .equals('district', filters.district)
      .equals('unit_id', filters.unitId)
      .page<Row>(this.dataSource.manager, 'approvals_list', 'requested_at DESC, approval_id', filters);
    return { ...page, items: page.items.map(toSummary) };
  }
}

const toSummary = (row: Row): ApprovalSummary => ({
  approvalId: row.approval_id,
  requesterId: row.requester_id,
  jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
  platform: row.platform,
  officialAccountId: row.official_account_id,
  title: row.title,
  status: row.status,
  requestedAt: row.requested_at.toISOString(),
  decidedAt: row.decided_at?.toISOString() ?? null,
  validUntil: row.valid_until?.toISOString() ?? null,
  refusedPublications: row.refused_publications,
  version: row.version,
});
