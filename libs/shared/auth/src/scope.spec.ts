import { isNationalScope, Jurisdiction, scopeCovers } from './scope';

const lahoreCase: Jurisdiction = { province: 'Punjab', range: 'Lahore', district: 'Lahore', unitId: 'PS-Gulberg' };
const rawalpindiCase: Jurisdiction = { province: 'Punjab', range: 'Rawalpindi', district: 'Attock', unitId: 'PS-Fateh-Jang' };
const sindhCase: Jurisdiction = { province: 'Sindh', range: 'Karachi', district: 'Karachi South', unitId: 'PS-Clifton' };
const provinceLevelCase: Jurisdiction = { province: 'Punjab' };

describe('scopeCovers', () => {
  it('a national (empty) scope covers every jurisdiction', () => {
    for (const jurisdiction of [lahoreCase, rawalpindiCase, sindhCase, provinceLevelCase]) {
      expect(scopeCovers({}, jurisdiction)).toBe(true);
    }
  });

  it('a province scope covers everything in that province and nothing outside it', () => {
    const punjab = { province: 'Punjab' };
    expect(scopeCovers(punjab, lahoreCase)).toBe(true);
    expect(scopeCovers(punjab, rawalpindiCase)).toBe(true);
    expect(scopeCovers(punjab, provinceLevelCase)).toBe(true);
    expect(scopeCovers(punjab, sindhCase)).toBe(false);
  });

  it('a range scope narrows the province to that range', () => {
    const lahoreRange = { province: 'Punjab', range: 'Lahore' };
    expect(scopeCovers(lahoreRange, lahoreCase)).toBe(true);
    expect(scopeCovers(lahoreRange, rawalpindiCase)).toBe(false);
    expect(scopeCovers(lahoreRange, sindhCase)).toBe(false);
  });

  it('a district scope covers only that district', () => {
    const attock = { province: 'Punjab', range: 'Rawalpindi', district: 'Attock' };
    expect(scopeCovers(attock, rawalpindiCase)).toBe(true);
    expect(scopeCovers(attock, { ...rawalpindiCase, district: 'Chakwal', unitId: 'PS-Chakwal' })).toBe(false);
  });

  it('a unit scope covers only that unit', () => {
    const gulberg = { province: 'Punjab', range: 'Lahore', district: 'Lahore', unit: 'PS-Gulberg' };
    expect(scopeCovers(gulberg, lahoreCase)).toBe(true);
    expect(scopeCovers(gulberg, { ...lahoreCase, unitId: 'PS-Model-Town' })).toBe(false);
  });

  it('a narrow scope does not cover a jurisdiction recorded only at a higher level', () => {
    expect(scopeCovers({ province: 'Punjab', range: 'Lahore' }, provinceLevelCase)).toBe(false);
    expect(scopeCovers({ province: 'Punjab', unit: 'PS-Gulberg' }, provinceLevelCase)).toBe(false);
  });

  it('matches levels exactly (no case folding, no prefix match)', () => {
    expect(scopeCovers({ province: 'punjab' }, lahoreCase)).toBe(false);
    expect(scopeCovers({ province: 'Pun' }, lahoreCase)).toBe(false);
  });
});

describe('isNationalScope', () => {
  it('is true only when no level is named', () => {
    expect(isNationalScope({})).toBe(true);
    expect(isNationalScope({ province: 'Sindh' })).toBe(false);
    expect(isNationalScope({ unit: 'PS-Clifton' })).toBe(false);
  });
});
