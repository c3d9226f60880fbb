// Without generated types in the program, names are strings and params free-form, as before `Register` existed.
import { describe, expectTypeOf, it } from 'vitest';
import type { DatasourceName, Params, PipeName, RegisteredColumn, RegisteredParams } from 'react-tinybird';
import type { GrantScope, TinybirdScope } from 'react-tinybird/server';

describe('Register, empty', () => {
  it('leaves every name a string and params free-form', () => {
    expectTypeOf<PipeName>().toEqualTypeOf<string>();
    expectTypeOf<DatasourceName>().toEqualTypeOf<string>();
    expectTypeOf<RegisteredParams<'top_airlines'>>().toEqualTypeOf<Params>();
    expectTypeOf<RegisteredColumn<'top_airlines'>>().toEqualTypeOf<string>();
    expectTypeOf<GrantScope>().toEqualTypeOf<TinybirdScope>();
  });
});
