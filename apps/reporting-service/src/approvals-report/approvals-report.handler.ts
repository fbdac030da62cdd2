import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
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
  total: string;
}

@QueryHandler(ApprovalsReportQuery)
export class ApprovalsReportHandler implements IQueryHandler<ApprovalsReportQuery, ApprovalsReport> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filters, scope }: ApprovalsReportQuery): Promise<ApprovalsReport> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    // The scope narrows first; filters can only narrow further.
    if (scope.province) where('province = ?', scope.province);
    if (scope.range) where('range = ?', scope.range);
    if (scope.district) where('district = ?', scope.district);
    if (scope.unit) where('unit_id = ?', scope.unit);
    if (filters.province) where('province = ?', filters.province);
    if (filters.range) where('range = ?', filters.range);
    if (filters.district) where('district = ?', filters.district);
    if (filters.unitId) where('unit_id = ?', filters.unitId);
    if (filters.status) where('status = ?', filters.status);
    if (filters.from) where('requested_at >= ?', filters.from);
    if (filters.to) where('requested_at < ?', filters.to);
    const whereSql = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    values.push(filters.pageSize, (filters.page - 1) * filters.pageSize);
    const rows: Row[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM approvals_report ${whereSql}
        ORDER BY requested_at DESC, approval_id LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    return {
      items: rows.map(toItem),
      page: filters.page,
      pageSize: filters.pageSize,
      total: rows[0] ? Number(rows[0].total) : 0,
    };
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
});
