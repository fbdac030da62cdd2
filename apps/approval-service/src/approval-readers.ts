import type { Principal, Role } from '@conduct/auth';

/**
 * Who reads approval requests: the requesters (officers, media teams), the authorities deciding
 * them, internal affairs and disciplinary authorities (a case may turn on whether content was
 * approved), headquarters and administrators. Integrations get the events, not this API (403).
 */
export const APPROVAL_READERS: [Role, ...Role[]] = [
  'OFFICER',
  'MEDIA_TEAM',
  'APPROVER',
  'IA_INVESTIGATOR',
  'DISCIPLINARY_AUTHORITY',
  'HQ_ANALYST',
  'ADMIN',
];

/** An officer with no other reading role sees their own requests only, not their colleagues'. */
export const readsOwnRequestsOnly = (principal: Principal): boolean => principal.roles.every((role) => role === 'OFFICER');
