import { Scope } from '@conduct/jurisdiction';

// One definition of the hierarchy rule for the whole system lives in @conduct/jurisdiction (the
// domain uses it too); auth re-exports it so HTTP code needs one import.
export { scopeCovers } from '@conduct/jurisdiction';
export type { Jurisdiction, Scope } from '@conduct/jurisdiction';

/** A national scope names no level at all (HQ, ADMIN). */
export function isNationalScope(scope: Scope): boolean {
  return scope.province === undefined && scope.range === undefined && scope.district === undefined && scope.unit === undefined;
}
