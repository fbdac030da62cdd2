import { DomainError } from '@conduct/decider';
import { Jurisdiction, placementOf } from './jurisdiction';

/** A jurisdiction that names its unit: what requests, accounts and cases claim. */
export type UnitClaim = Jurisdiction & { unitId: string };

const LEVELS = ['province', 'range', 'district'] as const;

/**
 * Checks where a request says a unit lies against where the registry has it, and answers the
 * registry's placement: scope checks must use that, never the claim (a token scoped to a unit
 * could otherwise file for "its" unit in another district). A level the claim leaves out is
 * filled in; one it names must agree. `field` is the request field that carries the claim.
 */
export function placeClaim(claim: UnitClaim, registered: Jurisdiction | undefined, field = 'jurisdiction'): UnitClaim {
  if (registered === undefined) {
    throw new DomainError(
      'invalid',
      'jurisdiction.unknown-unit',
      `No unit ${claim.unitId} in the hierarchy registry (GET /units lists them)`,
      undefined,
      `${field}.unitId`,
    );
  }
  for (const level of LEVELS) {
    const claimed = claim[level];
    if (claimed !== undefined && claimed !== registered[level]) {
      const actual = registered[level] === undefined ? `no ${level}` : `${level} ${registered[level]}`;
      throw new DomainError(
        'invalid',
        'jurisdiction.disagrees-with-registry',
        `Unit ${claim.unitId} lies in ${actual} according to the hierarchy registry, not ${level} ${claimed}`,
        undefined,
        `${field}.${level}`,
      );
    }
  }
  return { ...placementOf(registered), unitId: claim.unitId };
}
