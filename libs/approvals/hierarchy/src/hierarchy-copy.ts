import { DataSource } from 'typeorm';
import { Jurisdiction, placementOf } from '@conduct/jurisdiction';
import { SeedUnit } from './units-seed';

/**
 * A service's own copy of the hierarchy, in its `org_units` table: fed from conduct.approvals.v1
 * (orgUnitsHandlers) and, before the first event arrives, started from UNITS_SEED_FILE. Seeded rows
 * carry version 0, so the owner's events always win, and a restart never undoes a move.
 */
export class HierarchyCopy {
  constructor(private readonly dataSource: DataSource) {}

  async seed(units: readonly SeedUnit[]): Promise<number> {
    if (units.length === 0) return 0;
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO org_units (unit_id, name, province, range, district, last_stream_version)
       SELECT unit_id, name, province, range, district, 0 FROM jsonb_to_recordset($1::jsonb) AS u(unit_id text, name text, province text, range text, district text)
       ON CONFLICT (unit_id) DO NOTHING RETURNING unit_id`,
      [
        JSON.stringify(
          units.map((unit) => ({
            unit_id: unit.unitId,
            name: unit.name,
            province: unit.province,
            range: unit.range ?? null,
            district: unit.district ?? null,
          })),
        ),
      ],
    );
    return rows.length;
  }

  /** Where the copy has a unit now (the whole jurisdiction), or undefined if it does not know it. */
  async placementOf(unitId: string): Promise<Jurisdiction | undefined> {
    const [row] = await this.dataSource.query<{ province: string; range: string | null; district: string | null }[]>(
      `SELECT province, range, district FROM org_units WHERE unit_id = $1`,
      [unitId],
    );
    if (!row) return undefined;
    return { ...placementOf(row), unitId };
  }
}
