import { scopeCovers } from './jurisdiction';

describe('scopeCovers', () => {
  const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };

  it('a national scope covers everything', () => {
    expect(scopeCovers({}, karachiSouth)).toBe(true);
  });

  it('a province scope covers its own province only', () => {
    expect(scopeCovers({ province: 'sindh' }, karachiSouth)).toBe(true);
    expect(scopeCovers({ province: 'punjab' }, karachiSouth)).toBe(false);
  });

  it('a district scope covers units of the district but not a sibling district', () => {
    expect(scopeCovers({ province: 'sindh', range: 'karachi', district: 'karachi-south' }, karachiSouth)).toBe(true);
    expect(scopeCovers({ province: 'sindh', range: 'karachi', district: 'karachi-east' }, karachiSouth)).toBe(false);
  });

  it('a unit scope does not cover a matter that names no unit', () => {
    expect(scopeCovers({ province: 'sindh', unit: 'ps-clifton' }, { province: 'sindh' })).toBe(false);
  });
});
