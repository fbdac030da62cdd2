import { DomainError } from '@conduct/decider';

/*
 * Typed errors of the policy library. They are DomainErrors so that a service passing one through
 * gets the usual problem+json mapping (kind → status) without knowing this library.
 */

/** Pack data does not match the format; `path` names the field at fault, e.g. `clauses[2].id`. */
export class InvalidPolicyPackError extends DomainError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super('invalid', 'policy.invalid-pack', `invalid policy pack at ${path || '(root)'}: ${problem}`, undefined, path);
    this.name = 'InvalidPolicyPackError';
  }
}

/** Packs that are valid one by one but contradict each other in one catalogue. */
export class ConflictingPolicyPacksError extends DomainError {
  constructor(message: string) {
    super('invalid', 'policy.conflicting-packs', message);
    this.name = 'ConflictingPolicyPacksError';
  }
}

/**
 * No pack version covers the province at that time: before its first version, or a province no
 * pack covers at all, which then names the request's `jurisdiction.province` as the field at fault.
 */
export class NoPolicyInForceError extends DomainError {
  constructor(
    readonly province: string,
    readonly at: string,
    knownProvince = true,
  ) {
    super(
      'invalid',
      'policy.none-in-force',
      knownProvince
        ? `no policy pack is in force for province ${province} at ${at}`
        : `no policy pack covers province "${province}": it is not a province Conduct knows`,
      undefined,
      knownProvince ? undefined : 'jurisdiction.province',
    );
    this.name = 'NoPolicyInForceError';
  }
}

export class UnknownClauseError extends DomainError {
  constructor(
    readonly clauseId: string,
    readonly packId: string,
    readonly version: number,
  ) {
    super('invalid', 'policy.unknown-clause', `clause ${clauseId} is not in policy pack ${packId} v${version}`, clauseId);
    this.name = 'UnknownClauseError';
  }
}

export class UnknownEscalationLevelError extends DomainError {
  constructor(
    readonly level: string,
    readonly packId: string,
    readonly version: number,
  ) {
    super('invalid', 'policy.unknown-escalation-level', `${level} is not in the escalation chain of policy pack ${packId} v${version}`);
    this.name = 'UnknownEscalationLevelError';
  }
}

/** A date or timestamp argument that is not a valid ISO date/instant. */
export class InvalidInstantError extends DomainError {
  constructor(
    readonly value: string,
    field: string,
  ) {
    super('invalid', 'policy.invalid-instant', `${field} must be an ISO date or timestamp, got ${JSON.stringify(value)}`, undefined, field);
    this.name = 'InvalidInstantError';
  }
}
