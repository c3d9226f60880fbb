import { describe, expect, it } from 'vitest';
import { encodeParams } from '../../src/index';

describe('encodeParams', () => {
  it('encodes scalars, Dates (UTC) and arrays the way Tinybird reads them', () => {
    expect(
      encodeParams({
        s: 'a,b',
        n: 1.5,
        b: false,
        day: new Date('2024-02-29T00:00:00.000Z'),
        at: new Date('2024-02-29T23:59:59.999Z'),
        list: ['x', 2, true, new Date('2024-01-01T06:00:00Z')],
        empty: [],
        none: null,
        unset: undefined,
      }),
    ).toEqual({
      s: 'a,b',
      n: '1.5',
      b: 'false',
      day: '2024-02-29 00:00:00',
      at: '2024-02-29 23:59:59',
      list: 'x,2,true,2024-01-01 06:00:00',
    });
  });

  it('refuses an invalid Date and a token param', () => {
    expect(() => encodeParams({ d: new Date('nope') })).toThrow(/Invalid Date/);
    expect(() => encodeParams({ token: 'p.x' })).toThrow(/Authorization header/);
    expect(encodeParams(undefined)).toEqual({});
  });
});
