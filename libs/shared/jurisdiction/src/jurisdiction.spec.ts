import { placementOf, scopeCovers } from './jurisdiction';
import { placeClaim } from './registry';

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

describe('placementOf', () => {
  it('keeps only the levels present, so an absent level, undefined and NULL hash alike', () => {
    expect(JSON.stringify(placementOf({ province: 'sindh', range: undefined, district: null }))).toBe('{"province":"sindh"}');
    expect(placementOf({ province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' } as never)).toEqual({
      province: 'sindh',
      range: 'karachi',
      district: 'karachi-south',
    });
  });
});

describe('placeClaim', () => {
  const registered = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };

  it("answers the registry's placement, filling in the levels a claim leaves out", () => {
    expect(placeClaim({ province: 'sindh', unitId: 'ps-clifton' }, registered)).toEqual(registered);
    expect(placeClaim({ ...registered }, registered)).toEqual(registered);
  });

  it('refuses an unknown unit and a level that disagrees, naming the field', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        const { code, field, message } = error as { code: string; field: string; message: string };
        return { code, field, message };
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => placeClaim({ province: 'sindh', unitId: 'ps-nowhere' }, undefined))).toMatchObject({
      code: 'jurisdiction.unknown-unit',
      field: 'jurisdiction.unitId',
    });
    const elsewhere = refusal(() => placeClaim({ ...registered, district: 'karachi-east' }, registered, 'place'));
    expect(elsewhere).toMatchObject({ code: 'jurisdiction.disagrees-with-registry', field: 'place.district' });
    expect(elsewhere.message).toContain('district karachi-south');
    expect(refusal(() => placeClaim({ province: 'punjab', unitId: 'ps-clifton' }, registered)).field).toBe('jurisdiction.province');
    expect(
      refusal(() => placeClaim({ province: 'sindh', district: 'x', unitId: 'sindh-office' }, { province: 'sindh', unitId: 'sindh-office' })).message,
    ).toContain('no district');
  });
});
