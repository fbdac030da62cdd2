import { Principal } from '@conduct/auth';
import { CaseActor } from '@conduct/cases-domain';

/** The principal as the domain judges it: roles and scope decide what they may do. */
export const caseActorOf = (principal: Principal): CaseActor => ({
  id: principal.subject,
  roles: principal.roles,
  scope: principal.scope,
  ...(principal.serviceNumber === undefined ? {} : { serviceNumber: principal.serviceNumber }),
});
