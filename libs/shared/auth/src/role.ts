/** The roles a token can carry (DESIGN.md, "HTTP"). A role grants actions; the scope limits where. */
export const Role = {
  OFFICER: 'OFFICER',
  MEDIA_TEAM: 'MEDIA_TEAM',
  APPROVER: 'APPROVER',
  IA_INVESTIGATOR: 'IA_INVESTIGATOR',
  DISCIPLINARY_AUTHORITY: 'DISCIPLINARY_AUTHORITY',
  HQ_ANALYST: 'HQ_ANALYST',
  INTEGRATION: 'INTEGRATION',
  ADMIN: 'ADMIN',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
