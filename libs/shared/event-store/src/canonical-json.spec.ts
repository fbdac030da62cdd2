import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever the key insertion order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, '\uff5e': 3, '😀': 4, Z: 5 })).toBe('{"Z":5,"z":2,"é":1,"😀":4,"～":3}');
  });

  it('follows JSON.stringify for values: undefined dropped, toJSON honoured, non-finite as null', () => {
    const value = {
      dropped: undefined,
      at: new Date('2025-03-03T10:00:00.000Z'),
      list: [undefined, Number.NaN, Infinity, -0, 1e21, 1.5e-7],
      text: 'line\nquote" back\\ \u2028',
    };
    expect(canonicalJson(value)).toBe(
      '{"at":"2025-03-03T10:00:00.000Z","list":[null,null,null,0,1e+21,1.5e-7],"text":"line\\nquote\\" back\\\\ \u2028"}',
    );
  });

  it('equals JSON.stringify on values whose keys are already sorted', () => {
    const value = { a: [1, 'two', { b: false }], c: { d: 0.1 } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('is stable across a JSON round trip (what the database stores and gives back)', () => {
    const value = { n: 0.1 + 0.2, big: 2 ** 53, small: 5e-324, s: 'ünïcødé 😀', nested: { y: [1, { x: 2 }] } };
    expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
