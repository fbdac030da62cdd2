import { Scope } from '@conduct/jurisdiction';
import { Filters } from '@conduct/queries';
import { CaseBasis } from '../read-models/report-rollups';
import { ReportFilters } from './report-query.dto';

/** Runs SQL in the active read-model generation (search_path already set). */
export type Sql = <Row>(query: string, values: unknown[]) => Promise<Row[]>;

/**
 * What a report is asked for: the caller's scope, the filters and the moment "now" (for overdue
 * notices). Builds the WHERE clause of each query: scope first, then the place filters, then the
 * period on the date column the figure is counted by.
 */
export class ReportRequest {
  constructor(
    readonly scope: Scope,
    readonly filters: ReportFilters,
    readonly now: Date,
  ) {}

  /** What cases are counted by: when they were recorded unless the request says otherwise. */
  get basis(): CaseBasis {
    return this.filters.basis ?? 'reported';
  }

  /** Rows placed by the jurisdiction columns of `alias` (province, range, district, unit_id), in the period on `dateColumn`. */
  where(alias: string, dateColumn?: string): Filters {
    const column = (name: string) => `${alias}.${name}`;
    const filters = new Filters()
      .inScope(this.scope, { province: column('province'), range: column('range'), district: column('district'), unit: column('unit_id') })
      .equals(column('province'), this.filters.province)
      .equals(column('range'), this.filters.range)
      .equals(column('district'), this.filters.district)
      .equals(column('unit_id'), this.filters.unitId);
    return dateColumn ? filters.compare(dateColumn, '>=', this.filters.from).compare(dateColumn, '<', this.filters.to) : filters;
  }
}

/** Runs `sql` with the WHERE clause of `filters` in place of `{where}` and `$next` parameters appended after its values. */
export function withFilters<Row>(run: Sql, filters: Filters, sql: string, extra: unknown[] = []): Promise<Row[]> {
  const { where, values } = filters.toSql();
  const numbered = sql.replace(/\$next(\d)/g, (_match, index: string) => `$${values.length + Number(index)}`);
  return run<Row>(numbered.replace('{where}', where), [...values, ...extra]);
}
