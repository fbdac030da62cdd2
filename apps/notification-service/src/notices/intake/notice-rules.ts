import { idempotentStreamId } from '@conduct/event-store';
import { NoticeKind, RecipientRole } from '@conduct/notifications-contracts';

/**
 * Who a notice is for, before the directory names an address: an officer (their own entry, else
 * the unit's officer-facing one) or a role of a unit.
 */
export type Audience = { role: 'OFFICER'; serviceNumber: string; unitId: string } | { role: Exclude<RecipientRole, 'OFFICER'>; unitId: string };

/** The audience as part of a notice's identity: stable even when the directory's addresses change. */
export const audienceKey = (audience: Audience): string =>
  audience.role === 'OFFICER' ? `OFFICER:${audience.serviceNumber}` : `${audience.role}:${audience.unitId}`;

/**
 * A notice's id (its stream id) from what caused it: the source event, the kind, the audience and
 * the reminder offset. A redelivered or replayed cause derives the same id, whose stream already
 * exists, so nothing new is queued (docs/adr/0004: the same name-based UUID over SHA-256).
 */
export const notificationIdFor = (sourceEventId: string, kind: NoticeKind, audience: Audience, reminderOffsetHours?: number): string =>
  idempotentStreamId('notification', sourceEventId, `${kind}|${audienceKey(audience)}|${reminderOffsetHours ?? '-'}`);

/**
 * The directory role that receives an escalation to `rank`. The directory keeps the district's
 * SSP and the range's DIG per unit; ranks above DIG (AIG, IGP) sit at provincial headquarters,
 * which the directory does not model, so their notices go to the DIG, the highest level it knows
 * and the one that reports to them. Anything below SSP is the SSP's.
 */
export function directoryRoleForRank(rank: string): 'SSP' | 'DIG' {
  return ABOVE_SSP.has(rank.toUpperCase()) ? 'DIG' : 'SSP';
}
const ABOVE_SSP = new Set(['DIG', 'AIG', 'ADDL-IGP', 'IGP']);

/** The rank one step up the pack's chain from `current` (the top stays the top; an unknown rank starts at the bottom). */
export function levelAbove(chain: readonly string[], current: string): string {
  const index = chain.indexOf(current);
  if (chain.length === 0) return current;
  if (index < 0) return chain[0]!;
  return chain[Math.min(index + 1, chain.length - 1)]!;
}

const HOUR = 3_600_000;

/**
 * When each reminder goes out: `offset` hours before the due date (a takedown notice's, or a
 * show-cause notice's reply deadline). A reminder whose moment has passed when the notice is
 * issued, or when the service learns of it (`now`: it was down, or replays old events), is
 * dropped: "48 h left" must not arrive with 30 h left. The reminder at the due date itself
 * (offset 0) stays until the due date has passed; after that the missed deadline (or the lapse)
 * takes over. Duplicated offsets count once.
 */
export function reminderSchedule(
  issuedAt: string,
  dueAt: string,
  offsetsHours: readonly number[],
  now: Date,
): { offsetHours: number; sendAfter: Date }[] {
  const earliest = Math.max(Date.parse(issuedAt), now.getTime());
  const due = Date.parse(dueAt);
  if (earliest > due) return [];
  return [...new Set(offsetsHours)]
    .sort((a, b) => b - a)
    .map((offsetHours) => ({ offsetHours, sendAfter: new Date(due - offsetHours * HOUR) }))
    .filter(({ offsetHours, sendAfter }) => offsetHours === 0 || sendAfter.getTime() >= earliest);
}
