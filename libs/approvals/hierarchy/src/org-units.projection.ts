import { orgUnitContracts } from '@conduct/approvals-contracts';
import { InboxHandler, projection } from '@conduct/messaging';

const { on } = projection(orgUnitContracts, { table: 'org_units', id: 'unit_id', version: 'last_stream_version' });

/**
 * Keeps `org_units` (one row per unit, where it lies now) up to date from conduct.approvals.v1,
 * inside the inbox transaction; the consumer applies each unit's stream in version order. The
 * stream-version guard keeps a replayed older event from undoing a newer one; a row seeded from
 * UNITS_SEED_FILE (version 0) gives way to the owner's first event.
 */
export const orgUnitsHandlers: Record<string, InboxHandler<object>> = {
  UnitRegistered: on('UnitRegistered', async ({ data, streamVersion }, manager) => {
    await manager.query(
      `INSERT INTO org_units AS unit (unit_id, name, province, range, district, last_stream_version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, province = EXCLUDED.province, range = EXCLUDED.range, district = EXCLUDED.district,
                                           last_stream_version = EXCLUDED.last_stream_version, updated_at = now()
        WHERE unit.last_stream_version < EXCLUDED.last_stream_version`,
      [data.unitId, data.name, data.province, data.range ?? null, data.district ?? null, streamVersion],
    );
  }),
  // By unit id, not stream id (`org-unit:<unitId>`), so not `move`: the key of a row is the unit.
  UnitMoved: on('UnitMoved', async ({ data, streamVersion }, manager) => {
    await manager.query(
      `UPDATE org_units SET province = $2, range = $3, district = $4, last_stream_version = $5, updated_at = now()
        WHERE unit_id = $1 AND last_stream_version < $5`,
      [data.unitId, data.to.province, data.to.range ?? null, data.to.district ?? null, streamVersion],
    );
  }),
};
