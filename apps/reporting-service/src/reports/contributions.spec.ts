import { splitPeriod, Tally } from './contributions';

const at = (iso: string) => new Date(iso);

describe('splitPeriod', () => {
  it('counts whole months from the rollups and the partial first and last month from the rows', () => {
    expect(splitPeriod({ from: at('2026-01-20T10:00:00Z'), to: at('2026-04-05T00:00:00Z') })).toEqual({
      months: { from: '2026-02-01', to: '2026-04-01' },
      edges: [
        { from: at('2026-01-20T10:00:00Z'), to: at('2026-02-01T00:00:00Z') },
        { from: at('2026-04-01T00:00:00Z'), to: at('2026-04-05T00:00:00Z') },
      ],
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
    expect(splitPeriod({ from: at('2026-03-15T00:00:00Z') })).toEqual({
      months: { from: '2026-04-01' },
      edges: [{ from: at('2026-03-15T00:00:00Z'), to: at('2026-04-01T00:00:00Z') }],
    });
  });

  it('counts a period inside one month, or across one boundary without a whole month, from the rows alone', () => {
    const within = { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-20T00:00:00Z') };
    expect(splitPeriod(within)).toEqual({ edges: [within] });
    const across = { from: at('2026-03-20T00:00:00Z'), to: at('2026-04-10T00:00:00Z') };
    expect(splitPeriod(across)).toEqual({ edges: [across] });
  });

  it('takes months in UTC, whatever the offset the period was written with', () => {
    expect(splitPeriod({ from: at('2026-02-01T03:00:00+05:00'), to: at('2026-03-01T05:00:00+05:00') })).toEqual({
      months: { from: '2026-02-01', to: '2026-03-01' },
      edges: [
        { from: at('2026-01-31T22:00:00Z'), to: at('2026-02-01T00:00:00Z') },
        { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') },
      ].filter((edge) => edge.from < edge.to),
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
