import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LegacyFileError, parseCsv, readLegacyCases } from './legacy-case-rows';

const example = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'import-example.csv'), 'utf8');
const [header, first] = example.trim().split('\n');
/** The example's header with one row made from its first row, some columns changed. */
const withFirstRow = (changes: Record<string, string>): string => {
  const names = parseCsv(header!)[0]!;
  const values = parseCsv(first!)[0]!;
  const changed = names.map((name, index) => (name in changes ? changes[name]! : values[index]!));
  return `${header}\n${changed.map((value) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)).join(',')}\n`;
};

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and skips blank lines', () => {
    expect(parseCsv('a,"b, c","say ""hi""",\r\n"two\nlines",x,,\n\n')).toEqual([
      ['a', 'b, c', 'say "hi"', ''],
      ['two\nlines', 'x', '', ''],
    ]);
  });

  it('skips a byte-order mark and refuses a quote left open', () => {
    expect(parseCsv('\ufeffa,b')).toEqual([['a', 'b']]);
    expect(() => parseCsv('a,"b')).toThrow(LegacyFileError);
  });
});

describe('readLegacyCases', () => {
  it('reads the example file: three cases and how far each had gone', () => {
    const { cases, rejected } = readLegacyCases(example);
    expect(rejected).toEqual([]);
    expect(cases.map((c) => [c.row, c.legacyCaseNumber])).toEqual([
      [2, 'KS/2024/017'],
      [3, 'LHR/2025/044'],
      [4, 'KE/2025/103'],
    ]);
    const [sindh, punjab, open] = cases;
    expect(sindh).toMatchObject({
      jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' },
      conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
      observedAt: '2024-05-02T05:00:00.000Z',
      takedown: { servedAt: '2024-05-06T07:00:00.000Z', removedAt: '2024-05-08T11:00:00.000Z' },
      finding: { outcome: 'substantiated', clauses: ['SND-1'] },
      sanction: { sanction: 'censure', reasons: ['First breach; removed within two days'] },
      closure: { closedAt: '2024-08-01T05:00:00.000Z' },
    });
    // Finding clauses default to those alleged; the evidence was captured when it became known.
    expect(punjab).toMatchObject({ finding: { clauses: ['PB-1'] }, evidence: { capturedAt: punjab!.becameKnownAt } });
    expect(punjab!.showCause).toEqual({
      servedAt: '2025-03-05T05:00:00.000Z',
      grounds: ['Repeated on-duty social-media use after two warnings'],
      proposedSanction: 'reduction-in-rank',
      hearing: {
        heldAt: '2025-03-25T06:00:00.000Z',
        officerPresent: false,
        record: 'The officer did not appear; the record of the inquiry was read',
      },
    });
    expect(open).not.toHaveProperty('finding');
    expect(open).toMatchObject({ takedown: { servedAt: '2025-09-23T07:00:00.000Z' } });
    expect(open!.takedown).not.toHaveProperty('removedAt');
  });

  it.each([
    [{ observedAt: '02/05/2024' }, 'observedAt: "02/05/2024" is not a date-time with its zone'],
    [{ observedAt: '2024-05-02T10:00:00' }, 'observedAt: "2024-05-02T10:00:00" is not a date-time with its zone'],
    [{ officerName: ' ' }, 'officerName: required'],
    [{ onDuty: 'yes' }, 'onDuty: "yes" is neither true nor false'],
    [{ features: 'uniform;badge' }, 'features: "badge" is not one of'],
    [{ evidenceSha256: 'abc' }, 'evidenceSha256: must be 64 hexadecimal characters'],
    [{ clauses: '' }, 'clauses: required'],
    [{ findingReason: '' }, 'findingReason: required with findingOutcome, findingRecordedAt'],
    [{ findingOutcome: 'proven' }, 'findingOutcome: "proven" is neither substantiated nor not-substantiated'],
    [{ sanctionImposedAt: '' }, 'sanctionImposedAt: required with sanction, sanctionReason'],
    [{ takedownServedAt: '' }, 'takedownServedAt: required'],
  ])('rejects a row with %j, naming the column', (changes, reason) => {
    const { cases, rejected } = readLegacyCases(withFirstRow(changes));
    expect(cases).toEqual([]);
    expect(rejected).toEqual([{ row: 2, legacyCaseNumber: 'KS/2024/017', reason: expect.stringContaining(reason) }]);
  });

  it('rejects a second row with the same legacy case number, and a row with more fields than the header', () => {
    const { cases, rejected } = readLegacyCases(`${example.trim()}\n${first}\n${first},extra\n`);
    expect(cases).toHaveLength(3);
    expect(rejected).toEqual([
      { row: 5, legacyCaseNumber: 'KS/2024/017', reason: 'legacyCaseNumber: the same as row 2' },
      { row: 6, legacyCaseNumber: 'KS/2024/017', reason: '44 fields, the header names 43' },
    ]);
  });

  it('refuses a file whose header lacks a required column, names an unknown one or repeats one', () => {
    expect(() => readLegacyCases('')).toThrow('the file is empty');
    expect(() => readLegacyCases(header!.replace('observedAt,', ''))).toThrow('lacks the required column observedAt');
    expect(() => readLegacyCases(header!.replace('observedAt', 'observedOn'))).toThrow('unknown column "observedOn"');
    expect(() => readLegacyCases(`${header},platform`)).toThrow('the column "platform" appears twice');
  });
});
