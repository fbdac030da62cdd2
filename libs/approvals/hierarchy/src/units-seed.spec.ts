import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidUnitsSeedError, parseUnitsSeed } from './units-seed';

describe('units seed file', () => {
  it('reads config/units.seed.json: every unit once, a district always with its range', async () => {
    const file = join(__dirname, '../../../../config/units.seed.json');
    const units = await parseUnitsSeed(file, readFileSync(file, 'utf8'));
    expect(units.find((unit) => unit.unitId === 'ps-clifton')).toEqual({
      unitId: 'ps-clifton',
      name: 'Clifton police station',
      province: 'sindh',
      range: 'karachi',
      district: 'karachi-south',
    });
    expect(new Set(units.map((unit) => unit.unitId)).size).toBe(units.length);
    expect(units.filter((unit) => unit.district !== undefined && unit.range === undefined)).toEqual([]);
    // Absent levels are left out, not null: the unit is hashed into its first event as it is.
    expect(units.find((unit) => unit.unitId === 'sindh-office')).toEqual({
      unitId: 'sindh-office',
      name: 'Central Police Office, Sindh',
      province: 'sindh',
    });
  });

  it('names the first bad entry and loads nothing', async () => {
    const missingName = parseUnitsSeed('units.json', '[{"unitId": "a", "name": "A", "province": "sindh"}, {"unitId": "b", "province": "sindh"}]');
    await expect(missingName).rejects.toBeInstanceOf(InvalidUnitsSeedError);
    await expect(missingName).rejects.toThrow(
      /^UNITS_SEED_FILE units.json: unit \[1\] \{"unitId":"b","province":"sindh"\}: name: .*name must be a string/,
    );
    await expect(parseUnitsSeed('units.json', '{')).rejects.toThrow(/UNITS_SEED_FILE units.json: not JSON/);
    await expect(parseUnitsSeed('units.json', '{}')).rejects.toThrow('expected a JSON array of units');
    await expect(parseUnitsSeed('units.json', '[{"unitId": "a", "name": "A", "province": "sindh", "colour": "blue"}]')).rejects.toThrow(/colour/);
  });
});
