/** The headquarters reports the dashboard draws, by their path under reporting-service's /reports. */
export const REPORTS = ['trend', 'cases', 'takedowns', 'sanctions', 'approvals/summary', 'officers'] as const;
export type ReportName = (typeof REPORTS)[number];

/** When a case counts: when it was recorded (the default), when the conduct occurred, when it became known. */
export const BASES = ['reported', 'observed', 'known'] as const;
export type Basis = (typeof BASES)[number];

export const PLACE_LEVELS = ['province', 'range', 'district', 'unitId'] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];

export interface ReportFilters {
  /** Inclusive start, YYYY-MM-DD. */
  from?: string;
  /** Exclusive end, YYYY-MM-DD. */
  to?: string;
  basis: Basis;
  place: Partial<Record<PlaceLevel, string>>;
}

/** The console's path of a report (through the backend-for-frontend), as JSON or as the CSV download. */
export function reportPath(report: ReportName, filters: ReportFilters, format: 'json' | 'csv' = 'json'): string {
  const query = new URLSearchParams();
  for (const level of PLACE_LEVELS) {
    const value = filters.place[level];
    if (value) query.set(level, value);
  }
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  // Only the cases and trend reports count by basis; the others would refuse nothing but ignore it.
  if ((report === 'cases' || report === 'trend') && filters.basis !== 'reported') query.set('basis', filters.basis);
  if (format === 'csv') query.set('format', 'csv');
  const search = query.toString();
  return `/api/reporting/reports/${report}${search ? `?${search}` : ''}`;
}

/** The level a drill-down goes to next below the place chosen so far; undefined at a unit. */
export function nextLevel(place: Partial<Record<PlaceLevel, string>>): PlaceLevel | undefined {
  return PLACE_LEVELS.find((level) => !place[level]);
}

/** Choosing a place at one level keeps the levels above and clears those below. */
export function drillTo(
  place: Partial<Record<PlaceLevel, string>>,
  level: PlaceLevel,
  value: string | undefined,
): Partial<Record<PlaceLevel, string>> {
  const next: Partial<Record<PlaceLevel, string>> = {};
  for (const current of PLACE_LEVELS) {
    if (current === level) {
      if (value) next[current] = value;
      break;
    }
    if (place[current]) next[current] = place[current];
  }
  return next;
}

/** A unit of the hierarchy as GET /units lists it. */
export interface UnitPlacement {
  unitId: string;
  province: string;
  range?: string | null;
  district?: string | null;
}

/** The distinct places one level below the current place, from the units that lie within it. */
export function placesBelow(units: readonly UnitPlacement[], place: Partial<Record<PlaceLevel, string>>, level: PlaceLevel): string[] {
  const within = units.filter(
    (unit) =>
      (!place.province || unit.province === place.province) &&
      (!place.range || unit.range === place.range) &&
      (!place.district || unit.district === place.district),
  );
  const values = within.map((unit) => (level === 'unitId' ? unit.unitId : unit[level])).filter((value): value is string => Boolean(value));
  return [...new Set(values)].sort();
}
