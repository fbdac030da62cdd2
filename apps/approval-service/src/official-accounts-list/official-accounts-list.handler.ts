import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { OfficialAccountsList, OfficialAccountsListItem, OfficialAccountsListQuery } from './official-accounts-list.query';

interface Row {
  account_id: string;
  platform: string;
  handle: string;
  url: string | null;
  province: string;
  range: string | null;
  district: string | null;
  unit_id: string;
  media_team_name: string;
  media_team_unit_id: string;
  operated_by: string;
  status: string;
  status_reason: string | null;
  status_changed_at: Date | null;
  registered_by: string;
  registered_at: Date;
  last_stream_version: number;
  total: string;
}

@QueryHandler(OfficialAccountsListQuery)
export class OfficialAccountsListHandler implements IQueryHandler<OfficialAccountsListQuery, OfficialAccountsList> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filters, scope }: OfficialAccountsListQuery): Promise<OfficialAccountsList> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (column: string, value: unknown) => {
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    };
    // The scope narrows first; filters can only narrow further.
    if (scope.province) where('province', scope.province);
    if (scope.range) where('range', scope.range);
    if (scope.district) where('district', scope.district);
    if (scope.unit) where('unit_id', scope.unit);
    if (filters.province) where('province', filters.province);
    if (filters.range) where('range', filters.range);
    if (filters.district) where('district', filters.district);
    if (filters.unitId) where('unit_id', filters.unitId);
    if (filters.platform) where('platform', filters.platform.trim().toLowerCase());
    if (filters.status) where('status', filters.status);
    const whereSql = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    values.push(filters.pageSize, (filters.page - 1) * filters.pageSize);
    const rows: Row[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM official_accounts_list ${whereSql}
        ORDER BY registered_at DESC, account_id LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    return { items: rows.map(toItem), page: filters.page, pageSize: filters.pageSize, total: rows[0] ? Number(rows[0].total) : 0 };
  }
}

const toItem = (row: Row): OfficialAccountsListItem => ({
  accountId: row.account_id,
  platform: row.platform,
  handle: row.handle,
  url: row.url,
  jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
  mediaTeam: { name: row.media_team_name, unitId: row.media_team_unit_id },
  operatedBy: row.operated_by,
  status: row.status,
  statusReason: row.status_reason,
  statusChangedAt: row.status_changed_at?.toISOString() ?? null,
  registeredBy: row.registered_by,
  registeredAt: row.registered_at.toISOString(),
  version: row.last_stream_version,
});
