import { normaliseHandle, officialAccountStreamId } from './official-account.stream-id';

describe('officialAccountStreamId', () => {
  it('is a UUID that ignores case, blanks and a leading @', () => {
    const id = officialAccountStreamId('facebook', 'sindhpolice');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(officialAccountStreamId(' Facebook', '@SindhPolice ')).toBe(id);
  });

  it('differs by platform and by handle', () => {
    const id = officialAccountStreamId('facebook', 'sindhpolice');
    expect(officialAccountStreamId('x', 'sindhpolice')).not.toBe(id);
    expect(officialAccountStreamId('facebook', 'sindhpolice2')).not.toBe(id);
    // The separator keeps "ab"+"c" apart from "a"+"bc".
    expect(officialAccountStreamId('ab', 'c')).not.toBe(officialAccountStreamId('a', 'bc'));
  });

  it('drops only one leading @', () => {
    expect(normaliseHandle('@@x')).toBe('@x');
  });
});
