import { Principal } from '@conduct/auth';
import { CaseActor } from '@conduct/cases-domain';
import { Actor } from '@conduct/event-store';

/** The principal as the events record it: who, in which role, from which unit. */
export const eventActorOf = (principal: Principal): Actor => ({
  id: principal.subject,
  role: principal.roles[0] ?? 'UNKNOWN',
  ...(principal.scope.unit ? { unitId: principal.scope.unit } : {}),
});

/** The principal as the domain judges it: roles and scope decide what they may do. */
export const caseActorOf = (principal: Principal): CaseActor => ({ id: principal.subject, roles: principal.roles, scope: principal.scope });
