/** Every time the console shows is Pakistan Standard Time (UTC+5, no daylight saving). */
export const PAKISTAN_TIME_ZONE = 'Asia/Karachi';

export type Language = 'en' | 'ur';

const LOCALES: Record<Language, string> = { en: 'en-GB', ur: 'ur-PK' };

/** An instant as a date and time in Pakistan, e.g. "20 Nov 2026, 14:30 PKT". */
export function formatPakistanTime(iso: string, language: Language = 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(LOCALES[language], {
    timeZone: PAKISTAN_TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text} PKT`;
}

/** A month key of the reports ("2026-11") as its name, e.g. "Nov 2026". */
export function formatMonth(month: string, language: Language = 'en'): string {
  const [year, number] = month.split('-').map(Number);
  if (!year || !number) return month;
  return new Intl.DateTimeFormat(LOCALES[language], { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
}

/** A rate in [0, 1] as a percentage with one decimal; "–" when there is nothing to rate. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`;
}

export interface Countdown {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** Time left until a deadline (or past it, when overdue), in whole days, hours and minutes. */
export function countdown(dueAt: string, now: number): Countdown {
  const left = new Date(dueAt).getTime() - now;
  const span = Math.abs(left);
  const minutesTotal = Math.floor(span / 60_000);
  return {
    overdue: left < 0,
    days: Math.floor(minutesTotal / 1440),
    hours: Math.floor((minutesTotal % 1440) / 60),
    minutes: minutesTotal % 60,
  };
}

/** An instant typed in a datetime-local field, read as Pakistan time, as an ISO instant. */
export function pakistanLocalToIso(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return undefined;
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  const date = new Date(`${withSeconds}+05:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
