import { findClause } from './applicability';
import { MILLIS_PER_DAY, toEpochMillis } from './instant';
import { UnknownClauseError, UnknownEscalationLevelError } from './policy-errors';
import { PolicyClause, PolicyPackVersion, SanctionSeverity } from './policy-pack';

/*
 * The deadlines, penalties and chain of command a pack version sets. Pure functions of the pack, so
 * a decider can use the version recorded on a case without a catalogue at hand.
 */

/** The clause, or UnknownClauseError citing it (for a decider refusing an allegation). */
export function requireClause(pack: PolicyPackVersion, clauseId: string): PolicyClause {
  const clause = findClause(pack, clauseId);
  if (!clause) throw new UnknownClauseError(clauseId, pack.packId, pack.version);
  return clause;
}

/**
 * When content must be gone (SND-6): `servedAt` plus the takedown period, as a UTC ISO string.
 * Whole days of 24 hours on the UTC timeline, so no daylight-saving shift moves a deadline.
 */
export function takedownDueDate(pack: PolicyPackVersion, servedAt: Date | string): string {
  return addDays(servedAt, pack.takedownPeriodDays, 'servedAt');
}

/** The last moment an appeal may be filed against a decision taken at `decidedAt`. */
export function appealDeadline(pack: PolicyPackVersion, decidedAt: Date | string): string {
  return addDays(decidedAt, pack.appealWindowDays, 'decidedAt');
}

/** Whether the pack lists the sanction as minor or major; undefined for a sanction it does not know. */
export function sanctionSeverity(pack: PolicyPackVersion, sanction: string): SanctionSeverity | undefined {
  if (pack.sanctions.minor.includes(sanction)) return 'minor';
  if (pack.sanctions.major.includes(sanction)) return 'major';
  return undefined;
}

/** When the officer's written reply to a show-cause notice served at `servedAt` is due. */
export function showCauseReplyDueDate(pack: PolicyPackVersion, servedAt: Date | string): string {
  return addDays(servedAt, pack.dueProcess.showCauseReplyDays, 'servedAt');
}

/** Whether a penalty of this severity needs the show-cause notice, the reply and the hearing first. */
export function dueProcessRequired(pack: PolicyPackVersion, severity: SanctionSeverity): boolean {
  return pack.dueProcess.requiredFor.includes(severity);
}

/**
 * The level above `currentLevel` in the chain of command; the lowest level when nothing has been
 * escalated yet (no current level); undefined at the top. An unknown level is an error rather
 * than "top", so a misspelt rank never silently stops an escalation.
 */
export function nextEscalationLevel(pack: PolicyPackVersion, currentLevel?: string): string | undefined {
  if (currentLevel === undefined) return pack.escalationChain[0];
  const index = pack.escalationChain.indexOf(currentLevel);
  if (index === -1) throw new UnknownEscalationLevelError(currentLevel, pack.packId, pack.version);
  return pack.escalationChain[index + 1];
}

/**
 * Whether an officer's substantiated findings reach the early-intervention threshold at `at`:
 * at least `substantiatedFindings` of them in the `withinDays` days up to and including `at`.
 * Findings after `at` do not count, so the answer "as of" a past date stays the same.
 */
export function isEarlyInterventionDue(pack: PolicyPackVersion, substantiatedFindingDates: readonly (Date | string)[], at: Date | string): boolean {
  const end = toEpochMillis(at, 'at');
  const start = end - pack.earlyIntervention.withinDays * MILLIS_PER_DAY;
  const inWindow = substantiatedFindingDates
    .map((date, index) => toEpochMillis(date, `substantiatedFindingDates[${index}]`))
    .filter((millis) => millis > start && millis <= end);
  return inWindow.length >= pack.earlyIntervention.substantiatedFindings;
}

function addDays(from: Date | string, days: number, field: string): string {
  return new Date(toEpochMillis(from, field) + days * MILLIS_PER_DAY).toISOString();
}
