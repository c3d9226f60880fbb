// A param the app's tokens pin (fixed_params) is declared once, next to the grant: calls may then leave it out, as the
// browser of a multi-tenant app does. Everything else about the endpoint stays checked.
import '../../../examples/tinybird-types';
import { describe, expectTypeOf, it } from 'vitest';
import { endpointQueryOptions, useEndpoint } from 'react-tinybird';
import type { RegisteredParams, TinybirdClient } from 'react-tinybird';
import { Table } from 'react-tinybird/charts';
import type { GrantScope } from 'react-tinybird/server';
import type { TopAirlinesParams } from '../../../examples/tinybird-types';

declare module 'react-tinybird' {
  interface Register {
    pinned: { user_bookings: 'user_id' };
  }
}

describe('pinned params', () => {
  it('may be left out of hooks, charts and prefetches', () => {
    useEndpoint('user_bookings');
    useEndpoint('user_bookings', { limit: 5 });
    void (<Table endpoint="user_bookings" params={{ limit: 10 }} columns={['timestamp', 'price']} />);
    void endpointQueryOptions({} as TinybirdClient, 'user_bookings', { limit: 10 });
    expectTypeOf<RegisteredParams<'user_bookings'>>().toEqualTypeOf<{ limit?: number | null; user_id?: string }>();
  });

  it('are still typed, and the other params still checked', () => {
    useEndpoint('user_bookings', { user_id: 'u_42' });
    // @ts-expect-error user_id is a string
    useEndpoint('user_bookings', { user_id: 42 });
    // @ts-expect-error misspelt param
    useEndpoint('user_bookings', { limt: 5 });
  });

  it('leave the other pipes as generated', () => {
    expectTypeOf<RegisteredParams<'top_airlines'>>().toEqualTypeOf<TopAirlinesParams>();
  });

  it('are what a grant pins: fixed_params keep their check', () => {
    const scope: GrantScope = { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_42' } };
    void scope;
    // @ts-expect-error user_bookings reads no `user` param: the pin would be ignored
    const ignored: GrantScope = { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user: 'u_42' } };
    void ignored;
  });
});
