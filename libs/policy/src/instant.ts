import { InvalidInstantError } from './policy-errors';

// A date alone, or a timestamp that names its zone: a zone-less timestamp would be read in the
// server's local zone, so the same pack could be in force on one machine and not on another.
const ISO_DATE_OR_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/** Whether `value` is `YYYY-MM-DD` or an ISO timestamp with `Z` or an offset, on a real calendar day. */
export function isIsoDateOrInstant(value: string): boolean {
  const match = ISO_DATE_OR_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse rolls 2025-02-30 over to 2 March; a round trip through UTC catches it.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

/** Milliseconds since the epoch; a bare date is midnight UTC. */
export function toEpochMillis(value: Date | string, field: string): number {
  if (value instanceof Date) {
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new InvalidInstantError('Invalid Date', field);
    return millis;
  }
  if (!isIsoDateOrInstant(value)) throw new InvalidInstantError(value, field);
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
}

export const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;
