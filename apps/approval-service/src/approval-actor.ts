import { Principal } from '@conduct/auth';
import { Actor } from '@conduct/event-store';

/** The principal as the events record it: who, in which role, from which unit. */
export const actorOf = (principal: Principal): Actor => ({
  id: principal.subject,
  role: principal.roles[0] ?? 'UNKNOWN',
  ...(principal.scope.unit ? { unitId: principal.scope.unit } : {}),
});
