import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Filters } from '@conduct/queries';
import { ReadModelStore } from '../generations/read-model-store';
import { ApprovalsReport, ApprovalsReportQuery, ApprovalsReportRow } from './approvals-report.query';

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
  features: string[];
  status: string;
  requested_at: Date;
  decided_at: Date | null;
  published_at: Date | null;
  refused_publications: number;
}

@QueryHandler(ApprovalsReportQuery)
export class ApprovalsReportHandler implements IQueryHandler<ApprovalsReportQuery, ApprovalsReport> {
  constructor(private readonly store: ReadModelStore) {}

  async execute({ filters, scope }: ApprovalsReportQuery): Promise<ApprovalsReport> {
    // The scope narrows first; filters can only narrow further.
    const page = await this.store.read((manager) =>
      new Filters()
        .inScope(scope)
        .equals('province', filters.province)
        .equals('range', filters.range)
        .equals('district', filters.district)
        .equals('unit_id', filters.unitId)
        .equals('status', filters.status)
        .compare('requested_at', '>=', filters.from)
        .compare('requested_at', '<', filters.to)
        .page<Row>(manager, 'approvals_report', 'requested_at DESC, approval_id', filters),
    );
    return { ...page, items: page.items.map(toItem) };
  }
}

const toItem = (row: Row): ApprovalsReportRow => ({
  approvalId: row.approval_id,
  requesterId: row.requester_id,
  jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
  platform: row.platform,
  officialAccountId: row.official_account_id,
  title: row.title,
  features: row.features,
  status: row.status,
  requestedAt: row.requested_at.toISOString(),
  decidedAt: row.decided_at?.toISOString() ?? null,
  publishedAt: row.published_at?.toISOString() ?? null,
  refusedPublications: row.refused_publications,
});
