import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Scope } from '@conduct/jurisdiction';
import { EntityManager } from 'typeorm';

/** `page` and `pageSize` of every list query; extend it with the list's filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page = 1;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize = 50;
}

export interface Page<Item> {
  items: Item[];
  page: number;
  pageSize: number;
  total: number;
}

/** The read-model columns that place a row in the hierarchy. */
export interface ScopeColumns {
  province: string;
  range: string;
  district: string;
  unit: string;
}

const DEFAULT_SCOPE_COLUMNS: ScopeColumns = { province: 'province', range: 'range', district: 'district', unit: 'unit_id' };

/**
 * Builds the WHERE clause of a list over a read model with numbered parameters. Column names
 * come from code, never from the request; values are always parameters.
 */
export class Filters {
  private readonly conditions: string[] = [];
  private readonly values: unknown[] = [];

  /** Rows in the caller's scope only: every level the scope names must match. */
  inScope(scope: Scope, columns: ScopeColumns = DEFAULT_SCOPE_COLUMNS): this {
    return this.equals(columns.province, scope.province)
      .equals(columns.range, scope.range)
      .equals(columns.district, scope.district)
      .equals(columns.unit, scope.unit);
  }

  /** `column = value`, skipped when the value is undefined (an absent filter). */
  equals(column: string, value: unknown): this {
    return this.compare(column, '=', value);
  }

  /** `column <op> value`, skipped when the value is undefined: ranges such as `from` / `to`. */
  compare(column: string, operator: '=' | '<' | '<=' | '>' | '>=', value: unknown): this {
    return value === undefined ? this : this.where(`${column} ${operator} ?`, value);
  }

  /** A condition with `?` placeholders, one per value. */
  where(condition: string, ...values: unknown[]): this {
    let sql = condition;
    for (const value of values) {
      this.values.push(value);
      sql = sql.replace('?', `$${this.values.length}`);
    }
    this.conditions.push(`(${sql})`);
    return this;
  }

  /** The WHERE clause (empty without conditions) and its values, for a query other than a page: an aggregate. */
  toSql(): { where: string; values: unknown[] } {
    return { where: this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '', values: [...this.values] };
  }

  /** One page of `SELECT * FROM table`, ordered, with the total count of matching rows. */
  async page<Row>(manager: Pick<EntityManager, 'query'>, table: string, orderBy: string, { page, pageSize }: PageQueryDto): Promise<Page<Row>> {
    const { where } = this.toSql();
    const n = this.values.length;
    const rows: (Row & { total_count: string })[] = await manager.query(
      `SELECT *, count(*) OVER () AS total_count FROM ${table} ${where} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...this.values, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map(({ total_count: _total, ...row }) => row as Row),
      page,
      pageSize,
      total: rows[0] ? Number(rows[0].total_count) : 0,
    };
  }
}
