import { Scope } from '@conduct/jurisdiction';
import { Role } from './role';

/** The authenticated caller, as read from a verified token. */
export interface Principal {
  /** The token's `sub`: who acts (stored as the actor id of the events they cause). */
  subject: string;
  roles: readonly Role[];
  /** Where the caller may act; every level set narrows it, `{}` is national. */
  scope: Scope;
}
