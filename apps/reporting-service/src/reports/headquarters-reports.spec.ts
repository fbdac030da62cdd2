import { formatOf } from './headquarters-reports';

describe('report format', () => {
  it('is JSON unless asked otherwise', () => {
    expect(formatOf(undefined, undefined)).toBe('json');
    expect(formatOf(undefined, '*/*')).toBe('json');
    expect(formatOf(undefined, 'application/json')).toBe('json');
  });

  it('is CSV when Accept names text/csv before any JSON', () => {
    expect(formatOf(undefined, 'text/csv')).toBe('csv');
    expect(formatOf(undefined, 'text/csv, application/json;q=0.5')).toBe('csv');
    expect(formatOf(undefined, 'application/json, text/csv')).toBe('json');
  });

  it('follows an explicit format over the Accept header', () => {
    expect(formatOf('json', 'text/csv')).toBe('json');
    expect(formatOf('csv', 'application/json')).toBe('csv');
  });
});
