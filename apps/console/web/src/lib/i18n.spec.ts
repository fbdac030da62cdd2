import { directionOf, MESSAGES, translate } from './i18n';

describe('the console in English and Urdu', () => {
  it('has every English label in Urdu too, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, english] of Object.entries(MESSAGES.en)) {
      const urdu = (MESSAGES.ur as Record<string, string>)[key];
      expect({ key, present: urdu !== undefined }).toEqual({ key, present: true });
      expect({ key, placeholders: placeholders(urdu!) }).toEqual({ key, placeholders: placeholders(english) });
    }
  });

  it('fills placeholders, and lays Urdu out right to left', () => {
    expect(translate('en', 'cases.page', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(translate('ur', 'cases.page', { page: 2, pages: 5 })).toBe('صفحہ 2 از 5');
    expect(directionOf('ur')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});
