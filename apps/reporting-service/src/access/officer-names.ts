import { Principal, Role } from '@conduct/auth';

/** Roles that handle cases against named officers; everyone else (HQ analysts) sees facts without names. */
const ROLES_SEEING_OFFICER_NAMES: readonly Role[] = ['ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'];

/** Whether officers' names may be shown to this caller (issue #6, "Access"). */
export function canSeeOfficerNames(principal: Pick<Principal, 'roles'>): boolean {
  return principal.roles.some((role) => ROLES_SEEING_OFFICER_NAMES.includes(role));
}

/** Objects that name a police officer: the officer concerned, and a notice's recipient (an officer or a unit's officer). */
const NAMING_OFFICERS = new Set(['officer', 'recipient']);

/**
 * A copy of `value` in which every `officer.name` and `recipient.name` (at any depth, e.g. an
 * event's `data.officer`) is null, unless the caller may see names. Other fields (service number,
 * rank, unit) stay: they identify a record, not a person.
 */
export function redactOfficerNames<T>(value: T, principal: Pick<Principal, 'roles'>): T {
  return canSeeOfficerNames(principal) ? value : withoutOfficerNames(value);
}

function withoutOfficerNames<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutOfficerNames(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = NAMING_OFFICERS.has(key) && isObject(field) && 'name' in field ? { ...withoutOfficerNames(field), name: null } : withoutOfficerNames(field);
  }
  return copy as T;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
