import { drillTo, nextLevel, placesBelow, reportPath } from './report-query';

describe('the dashboard’s report queries', () => {
  it('asks for the basis only where it counts (cases and trend), and the CSV by format', () => {
    const filters = { basis: 'observed' as const, from: '2026-01-01', to: '2026-07-01', place: { province: 'sindh' } };
    expect(reportPath('trend', filters)).toBe('/api/reporting/reports/trend?province=sindh&from=2026-01-01&to=2026-07-01&basis=observed');
    expect(reportPath('cases', filters, 'csv')).toBe(
      '/api/reporting/reports/cases?province=sindh&from=2026-01-01&to=2026-07-01&basis=observed&format=csv',
    );
    expect(reportPath('takedowns', filters)).toBe('/api/reporting/reports/takedowns?province=sindh&from=2026-01-01&to=2026-07-01');
    expect(reportPath('approvals/summary', { basis: 'reported', place: {} })).toBe('/api/reporting/reports/approvals/summary');
  });

  it('drills down one level at a time and back up', () => {
    const district = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
    expect(nextLevel({})).toBe('province');
    expect(nextLevel(district)).toBe('unitId');
    expect(nextLevel({ ...district, unitId: 'ps-clifton' })).toBeUndefined();
    expect(drillTo(district, 'range', 'karachi')).toEqual({ province: 'sindh', range: 'karachi' });
    expect(drillTo(district, 'province', undefined)).toEqual({});
  });

  it('lists the places below the current one from the units', () => {
    const units = [
      { unitId: 'ps-clifton', province: 'sindh', range: 'karachi', district: 'karachi-south' },
      { unitId: 'ps-boat-basin', province: 'sindh', range: 'karachi', district: 'karachi-south' },
      { unitId: 'ps-gulshan', province: 'sindh', range: 'karachi', district: 'karachi-east' },
      { unitId: 'ps-gulberg', province: 'punjab', range: 'lahore', district: 'lahore' },
    ];
    expect(placesBelow(units, {}, 'province')).toEqual(['punjab', 'sindh']);
    expect(placesBelow(units, { province: 'sindh', range: 'karachi' }, 'district')).toEqual(['karachi-east', 'karachi-south']);
    expect(placesBelow(units, { province: 'sindh', district: 'karachi-south' }, 'unitId')).toEqual(['ps-boat-basin', 'ps-clifton']);
  });
});
