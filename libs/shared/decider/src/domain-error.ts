/**
 * The kinds of rule failure a decider can report. The HTTP layer maps each kind to a status
 * (see libs/shared/http): the domain never knows about HTTP.
 */
export type DomainErrorKind =
  | 'invalid' // the command is malformed for this rule (422)
  | 'forbidden' // the actor may not do this (403)
  | 'conflict' // the state does not allow it now (409)
  | 'not-found' // the aggregate does not exist (404)
  | 'precondition-failed'; // the caller's If-Match names a version the stream has left (412)

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable code, e.g. `approval.not-pending`. */
    readonly code: string,
    message: string,
    /** The policy clause the rule rests on, when there is one (e.g. `SND-5`). */
    readonly clause?: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
