import { Scope } from '@conduct/jurisdiction';
import { Role } from './role';

/** The authenticated caller, as read from a verified token. */
export interface Principal {
  /** The token's `sub`: who acts (stored as the actor id of the events they cause). */
  subject: string;
  roles: readonly Role[];
  /** Where the caller may act; every level set narrows it, `{}` is national. */
  scope: Scope;
  /**
   * The token's `service_number`: the police service number of the person, when the caller is one
   * (integrations have none). Own-case rules compare it with the officer a case is about, never
   * `sub`, which an identity provider chooses (a login name, a GUID).
   */
  serviceNumber?: string;
}
