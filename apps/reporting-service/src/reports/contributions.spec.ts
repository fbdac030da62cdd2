import { ROLLUP_SOURCES } from '../read-models/report-rollups';
import { datesOf, splitPeriod, Tally } from './contributions';

const at = (iso: string) => new Date(iso);

describe('splitPeriod', () => {
  const plus = (from: string, to: string) => ({ from: at(from), to: at(to), sign: 1 });
  const minus = (from: string, to: string) => ({ from: at(from), to: at(to), sign: -1 });

  it('counts whole months from the rollups and short partial first and last months from the rows', () => {
    expect(splitPeriod({ from: at('2026-01-20T10:00:00Z'), to: at('2026-04-05T00:00:00Z') })).toEqual({
      months: { from: '2026-02-01', to: '2026-04-01' },
      edges: [plus('2026-01-20T10:00:00Z', '2026-02-01T00:00:00Z'), plus('2026-04-01T00:00:00Z', '2026-04-05T00:00:00Z')],
    });
  });

  it('counts a partial month of more than half as the whole month less the rest of it', () => {
    // To the end of yesterday: November from the rollups, less its last day from the rows.
    expect(splitPeriod({ from: at('2026-01-03T00:00:00Z'), to: at('2026-11-30T00:00:00Z') })).toEqual({
      months: { from: '2026-01-01', to: '2026-12-01' },
      edges: [minus('2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'), minus('2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z')],
    });
    expect(splitPeriod({ from: at('2026-03-02T00:00:00Z') })).toEqual({
      months: { from: '2026-03-01' },
      edges: [minus('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')],
    });
  });

  it('needs no rows when the period starts and ends on a month boundary', () => {
    expect(splitPeriod({ from: at('2026-02-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual({
      months: { from: '2026-02-01', to: '2026-04-01' },
      edges: [],
    });
  });

  it('leaves an open end open', () => {
    expect(splitPeriod({})).toEqual({ months: {}, edges: [] });
    expect(splitPeriod({ to: at('2026-12-01T00:00:00Z') })).toEqual({ months: { to: '2026-12-01' }, edges: [] });
    expect(splitPeriod({ from: at('2026-03-20T00:00:00Z') })).toEqual({
      months: { from: '2026-04-01' },
      edges: [plus('2026-03-20T00:00:00Z', '2026-04-01T00:00:00Z')],
    });
  });

  it('counts a short period inside one month, or across one boundary without a whole month, from the rows alone', () => {
    expect(splitPeriod({ from: at('2026-03-02T00:00:00Z'), to: at('2026-03-12T00:00:00Z') })).toEqual({
      edges: [plus('2026-03-02T00:00:00Z', '2026-03-12T00:00:00Z')],
    });
    expect(splitPeriod({ from: at('2026-03-20T00:00:00Z'), to: at('2026-04-10T00:00:00Z') })).toEqual({
      edges: [plus('2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')],
    });
  });

  it('counts most of one month, or of one side of a boundary, through the rollups less the rest', () => {
    expect(splitPeriod({ from: at('2026-03-02T00:00:00Z'), to: at('2026-03-30T00:00:00Z') })).toEqual({
      months: { from: '2026-03-01', to: '2026-04-01' },
      edges: [minus('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'), minus('2026-03-30T00:00:00Z', '2026-04-01T00:00:00Z')],
    });
    expect(splitPeriod({ from: at('2026-03-05T00:00:00Z'), to: at('2026-04-03T00:00:00Z') })).toEqual({
      months: { from: '2026-03-01', to: '2026-04-01' },
      edges: [minus('2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'), plus('2026-04-01T00:00:00Z', '2026-04-03T00:00:00Z')],
    });
  });

  it('takes months in UTC, whatever the offset the period was written with', () => {
    expect(splitPeriod({ from: at('2026-02-01T03:00:00+05:00'), to: at('2026-03-01T05:00:00+05:00') })).toEqual({
      months: { from: '2026-02-01', to: '2026-03-01' },
      edges: [plus('2026-01-31T22:00:00Z', '2026-02-01T00:00:00Z')],
    });
  });
});

describe('Tally', () => {
  const tally = new Tally([
    { month: '2026-01', figure: 'cases.opened.status', key: 'found', n: 2 },
    { month: '2026-02', figure: 'cases.opened.status', key: 'found', n: -2 },
    { month: '2026-02', figure: 'cases.opened.status', key: 'closed', n: 3 },
    { month: '2026-02', figure: 'cases.opened', key: '', n: 5 },
  ]);

  it('sums a figure over months and keys', () => {
    expect(tally.total('cases.opened')).toBe(5);
    expect(tally.total('cases.closed')).toBe(0);
  });

  it('leaves out what sums to zero, as a count over rows would not list it', () => {
    expect([...tally.byKey('cases.opened.status')]).toEqual([['closed', 3]]);
    expect([...tally.byMonth('cases.opened.status')]).toEqual([
      ['2026-01', 2],
      ['2026-02', 1],
    ]);
  });
});

describe('datesOf', () => {
  it('bounds only the date columns that date the figures asked for', () => {
    expect(datesOf(ROLLUP_SOURCES.cases, ['cases.opened', 'cases.opened.clause'])).toEqual(['c.reported_at']);
    expect(datesOf(ROLLUP_SOURCES.cases, ['cases.observed.status', 'cases.closed'])).toEqual(['c.observed_at', 'c.closed_at']);
    expect(datesOf(ROLLUP_SOURCES.cases, ['cases.known'])).toEqual(['c.became_known_at']);
  });

  it('bounds every date column where it cannot tell', () => {
    expect(datesOf(ROLLUP_SOURCES.cases, ['cases.openedish'])).toEqual(ROLLUP_SOURCES.cases.dates);
    expect(datesOf(ROLLUP_SOURCES.approvals, ['approvals.requested'])).toEqual(['a.requested_at', 'a.decided_at']);
  });
});
