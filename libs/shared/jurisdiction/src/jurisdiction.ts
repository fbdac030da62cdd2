/**
 * The police hierarchy (docs/policy.md): Province → Range → District → Unit. A jurisdiction places a
 * case, request or account in it; a scope is the part of it a user may see and decide.
 */
export interface Jurisdiction {
  province: string;
  range?: string;
  district?: string;
  unitId?: string;
}

/** Where something lies above its unit: province, and range and district where it has them. */
export interface Placement {
  province: string;
  range?: string;
  district?: string;
}

/**
 * A placement as a plain object holding only the levels it has: placements are hashed into event
 * chains, where `range: undefined` (or a database NULL) and no range at all must hash alike.
 */
export function placementOf({ province, range, district }: { province: string; range?: string | null; district?: string | null }): Placement {
  return { province, ...(range == null ? {} : { range }), ...(district == null ? {} : { district }) };
}

/** A user's scope from the token. Empty = national (headquarters). */
export interface Scope {
  province?: string;
  range?: string;
  district?: string;
  unit?: string;
}

/**
 * Whether a scope covers a jurisdiction: every level the scope names must match. A scope that
 * names a level the jurisdiction leaves open does not cover it (a district officer cannot act on
 * a province-wide matter).
 */
export function scopeCovers(scope: Scope, jurisdiction: Jurisdiction): boolean {
  const pairs: [string | undefined, string | undefined][] = [
    [scope.province, jurisdiction.province],
    [scope.range, jurisdiction.range],
    [scope.district, jurisdiction.district],
    [scope.unit, jurisdiction.unitId],
  ];
  return pairs.every(([wanted, actual]) => wanted === undefined || wanted === actual);
}
