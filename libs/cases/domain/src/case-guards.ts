import { DomainError } from '@conduct/decider';
import { PolicyPackVersion } from '@conduct/policy';
import { CaseState, ExistingCase, OpenCase } from './case.state';

/* Checks that several commands share. Each throws a DomainError naming the rule. */

export const at = (iso: string): number => Date.parse(iso);

/**
 * A moment that has already happened (`case.time-in-future` otherwise) and, given `earliest`, not
 * before the step it follows (`case.time-out-of-order`), naming the field at fault.
 */
export function requireHappened(value: string, field: string, now: string, earliest?: { at: string; what: string }): void {
  if (at(value) > at(now)) throw new DomainError('invalid', 'case.time-in-future', `${field} lies in the future`, undefined, field);
  if (earliest && at(value) < at(earliest.at)) {
    throw new DomainError('invalid', 'case.time-out-of-order', `${field} lies before ${earliest.what} (${earliest.at})`, undefined, field);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function requireSha256(hash: string, field: string): void {
  if (!SHA256_HEX.test(hash))
    throw new DomainError('invalid', 'case.bad-evidence-hash', `${field} must be 64 lower-case hex characters`, undefined, field);
}

/** What a case that does not exist answers, and a case outside the actor's scope, so the two look alike. */
export const caseNotFound = (): DomainError => new DomainError('not-found', 'case.not-found', 'No such case');

export function existingCase(state: CaseState): ExistingCase {
  if (state.status === 'none') throw caseNotFound();
  return state;
}

/** A closed case is read-only until it is reopened. */
export function requireOpen(state: ExistingCase): asserts state is OpenCase {
  if (state.status !== 'open') throw new DomainError('conflict', 'case.closed', 'The case is closed; reopen it first');
}

/** The handler passes the pack the case recorded: a later version must never judge an earlier case. */
export function requireCasePack(pack: PolicyPackVersion, state: ExistingCase): void {
  const { packId, version } = state.file.report.policy;
  if (pack.packId !== packId || pack.version !== version) {
    throw new DomainError(
      'invalid',
      'case.policy-pack-mismatch',
      `The case is judged under ${packId} v${version}, not ${pack.packId} v${pack.version}`,
    );
  }
}

/** A decision gives its reasons: at least one, none blank. */
export function requireReasons(reasons: readonly string[], field = 'reasons'): void {
  if (reasons.length === 0 || reasons.some((reason) => reason.trim() === '')) {
    throw new DomainError('invalid', 'case.reasons-required', `${field} must name at least one reason, none blank`, undefined, field);
  }
}
