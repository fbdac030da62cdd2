import { csvCell, toCsv } from './csv';
import { hoursFromSeconds, monthsBetween, ratio } from './figures';

describe('CSV writer', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvCell('ps-clifton')).toBe('ps-clifton');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(0.667)).toBe('0.667');
    expect(csvCell(true)).toBe('true');
  });

  it('writes null and undefined as an empty cell', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes cells with commas, quotes or line breaks and doubles the quotes', () => {
    expect(csvCell('Ali, Imran')).toBe('"Ali, Imran"');
    expect(csvCell('the "SHO"')).toBe('"the ""SHO"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('keeps text that a spreadsheet would evaluate as text', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+92 300')).toBe("'+92 300");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('puts comments first, then the header, then the rows, with CRLF line ends', () => {
    const csv = toCsv(
      ['figure', 'key', 'value'],
      [
        ['opened', '', 3],
        ['byClause', 'SND-1', 2],
      ],
      ['positions: {"t":{"0":4}}'],
    );
    expect(csv).toBe('# positions: {"t":{"0":4}}\r\nfigure,key,value\r\nopened,,3\r\nbyClause,SND-1,2\r\n');
  });

  it('cannot break out of a comment line with a line break', () => {
    expect(toCsv(['a'], [], ['one\r\ntwo'])).toBe('# one two\r\na\r\n');
  });
});

describe('figures', () => {
  it('ratio rounds to 3 decimals and has no value without a whole', () => {
    expect(ratio(2, 3)).toBe(0.667);
    expect(ratio(0, 4)).toBe(0);
    expect(ratio(0, 0)).toBeNull();
  });

  it('hours from seconds with one decimal', () => {
    expect(hoursFromSeconds(5400)).toBe(1.5);
    expect(hoursFromSeconds('86400')).toBe(24);
    expect(hoursFromSeconds(100)).toBe(0);
    expect(hoursFromSeconds(null)).toBeNull();
  });

  it('months between two months, across a year end, with no gaps', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
    expect(monthsBetween('2026-04', '2026-03')).toEqual([]);
  });
});
