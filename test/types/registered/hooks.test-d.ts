// With the demo project's generated types in the program (examples/tinybird-types.ts), the hooks are typed from it
// with no generic: each wrong use below is a compile error.
import '../../../examples/tinybird-types';
import { defineEndpoint, node, p, t } from '@tinybirdco/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import { endpointQueryOptions, useAppend, useEndpoint } from 'react-tinybird';
import type { PipeName, QueryResult, TinybirdClient } from 'react-tinybird';
import type { TopAirlinesRow, UserBookingsRow } from '../../../examples/tinybird-types';

describe('useEndpoint with generated types', () => {
  it('knows the pipes', () => {
    expectTypeOf<PipeName>().toEqualTypeOf<'bookings_per_hour' | 'kpis' | 'top_airlines' | 'user_bookings'>();
    // @ts-expect-error no such pipe
    useEndpoint('top_airline');
  });

  it('types rows with no generic', () => {
    const { data } = useEndpoint('top_airlines', { limit: 5 });
    expectTypeOf(data).toEqualTypeOf<TopAirlinesRow[] | undefined>();
    expectTypeOf(data![0]!.bookings).toEqualTypeOf<number>();
    // @ts-expect-error not a column of top_airlines
    void data![0]!.booking;
  });

  it('types params: misspelt, wrong type and missing required ones do not compile', () => {
    useEndpoint('top_airlines');
    useEndpoint('top_airlines', { start: new Date(), end: '2024-05-01 00:00:00', limit: null });
    // @ts-expect-error misspelt param
    useEndpoint('top_airlines', { limt: 5 });
    // @ts-expect-error limit is a number
    useEndpoint('top_airlines', { limit: '5' });
    useEndpoint('user_bookings', { user_id: 'u_1' });
    // @ts-expect-error user_id is required
    useEndpoint('user_bookings', { limit: 5 });
    // @ts-expect-error user_id is required, so params are
    useEndpoint('user_bookings');
  });

  it('a Row generic of your own still works: the name is checked, rows and params are yours', () => {
    const { data } = useEndpoint<{ airline: string }>('top_airlines', { limit: 5 });
    expectTypeOf(data).toEqualTypeOf<{ airline: string }[] | undefined>();
    // @ts-expect-error no such pipe
    useEndpoint<{ airline: string }>('top_airline');
  });

  it('keeps react-query options and select', () => {
    const { data } = useEndpoint('user_bookings', { user_id: 'u' }, { select: (rows) => rows.map((r) => r.price) });
    expectTypeOf(data).toEqualTypeOf<number[] | undefined>();
    expectTypeOf(useEndpoint('kpis', {}, { enabled: false }).data).toEqualTypeOf<
      | Array<{
          bookings: number;
          revenue: number;
          avg_price: number;
          users: number;
          bookings_delta: number;
          revenue_delta: number;
        }>
      | undefined
    >();
  });

  it('still takes @tinybirdco/sdk definitions', () => {
    const ep = defineEndpoint('sdk_pipe', {
      params: { n: p.int32() },
      nodes: [node({ name: 'endpoint', sql: 'SELECT 1 AS one' })],
      output: { one: t.uint8() },
    });
    expectTypeOf(useEndpoint(ep, { n: 1 }).data).toEqualTypeOf<{ one: number }[] | undefined>();
    // @ts-expect-error n is required
    useEndpoint(ep, {});
  });
});

describe('endpointQueryOptions with generated types', () => {
  it('types the data and checks the params', () => {
    const client = {} as TinybirdClient;
    const options = endpointQueryOptions(client, 'user_bookings', { user_id: 'u_1' });
    expectTypeOf(options.queryFn).not.toBeUndefined();
    type Data = Awaited<ReturnType<Exclude<typeof options.queryFn, undefined | symbol>>>;
    expectTypeOf<Data>().toEqualTypeOf<QueryResult<UserBookingsRow>>();
    // @ts-expect-error user_id is required
    endpointQueryOptions(client, 'user_bookings');
    // @ts-expect-error no such pipe
    endpointQueryOptions(client, 'nope');
  });
});

describe('useAppend with generated types', () => {
  it('types the event from the data source schema', () => {
    const { append } = useAppend('events');
    append({ user_id: 'u', airline: 'AA', origin: 'MAD', destination: 'JFK', price: 10 });
    append({ timestamp: new Date(), user_id: 'u', airline: 'AA', origin: 'MAD', destination: 'JFK', price: 10 });
    // @ts-expect-error price is a number
    append({ user_id: 'u', airline: 'AA', origin: 'MAD', destination: 'JFK', price: 'ten' });
    // @ts-expect-error price is required (Float64, no DEFAULT)
    append({ user_id: 'u', airline: 'AA', origin: 'MAD', destination: 'JFK' });
    // @ts-expect-error no such data source
    useAppend('event');
  });
});
