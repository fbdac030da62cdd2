import { countdown, formatMonth, formatPakistanTime, formatRate, pakistanLocalToIso } from './format';

describe('console formatting', () => {
  it('shows instants in Pakistan time (UTC+5), whatever the browser’s zone', () => {
    expect(formatPakistanTime('2026-11-20T09:30:00Z')).toBe('20 Nov 2026, 14:30 PKT');
    // Late evening UTC is already the next day in Pakistan.
    expect(formatPakistanTime('2026-11-20T21:15:00Z')).toBe('21 Nov 2026, 02:15 PKT');
    expect(formatPakistanTime('not a date')).toBe('not a date');
  });

  it('reads a datetime-local value as Pakistan time', () => {
    expect(pakistanLocalToIso('2026-11-20T14:30')).toBe('2026-11-20T09:30:00.000Z');
    expect(pakistanLocalToIso('2026-11-20T14:30:15')).toBe('2026-11-20T09:30:15.000Z');
    expect(pakistanLocalToIso('20/11/2026')).toBeUndefined();
  });

  it('counts down to a deadline in days, hours and minutes, and past it', () => {
    const due = '2026-12-14T12:00:00Z';
    expect(countdown(due, Date.parse('2026-12-07T09:30:00Z'))).toEqual({ overdue: false, days: 7, hours: 2, minutes: 30 });
    expect(countdown(due, Date.parse('2026-12-15T13:01:00Z'))).toEqual({ overdue: true, days: 1, hours: 1, minutes: 1 });
  });

  it('names months and rates', () => {
    expect(formatMonth('2026-02')).toBe('Feb 2026');
    expect(formatRate(0.8333)).toBe('83.3%');
    expect(formatRate(null)).toBe('–');
  });
});
