import { defineDatasource, defineEndpoint, node, p, t } from '@tinybirdco/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import { endpointQueryOptions, useAppend, useEndpoint } from 'react-tinybird';
import type { ColumnMeta, QueryResult, QueryStatistics, TinybirdClient, TinybirdError } from 'react-tinybird';

const topAirlines = defineEndpoint('top_airlines', {
  params: {
    limit: p.int32().optional(10),
    airline: p.string(),
    since: p.dateTime().optional(),
  },
  nodes: [node({ name: 'endpoint', sql: 'SELECT airline, count() AS bookings FROM events GROUP BY airline' })],
  output: {
    airline: t.string(),
    bookings: t.uint64(),
    note: t.string().optional(),
  },
});

const events = defineDatasource('events', {
  schema: { timestamp: t.dateTime(), airline: t.string(), passengers: t.uint8() },
});

describe('useEndpoint with an @tinybirdco/sdk endpoint definition', () => {
  it('types rows from the output schema', () => {
    const result = useEndpoint(topAirlines, { airline: 'AA' });
    expectTypeOf(result.data).toEqualTypeOf<{ airline: string; bookings: number; note?: string }[] | undefined>();
    expectTypeOf(result.meta).toEqualTypeOf<ColumnMeta[] | undefined>();
    expectTypeOf(result.statistics).toEqualTypeOf<QueryStatistics | undefined>();
    expectTypeOf(result.error).toEqualTypeOf<TinybirdError | null>();
  });

  it('types params: required ones required, wrong types refused, unknown names refused', () => {
    useEndpoint(topAirlines, { airline: 'AA', limit: 5 });
    // @ts-expect-error airline is required
    useEndpoint(topAirlines, { limit: 5 });
    // @ts-expect-error limit is a number
    useEndpoint(topAirlines, { airline: 'AA', limit: 'five' });
    // @ts-expect-error no such param
    useEndpoint(topAirlines, { airline: 'AA', nope: 1 });
  });

  it('select narrows data', () => {
    const result = useEndpoint(topAirlines, { airline: 'AA' }, { select: (rows) => rows.map((row) => row.bookings) });
    expectTypeOf(result.data).toEqualTypeOf<number[] | undefined>();
  });
});

describe('useEndpoint with a pipe name', () => {
  it('takes the row type as a type argument and free-form params', () => {
    const result = useEndpoint<{ airline: string }>('top_airlines', { limit: 5, since: new Date(), airlines: ['AA'] });
    expectTypeOf(result.data).toEqualTypeOf<{ airline: string }[] | undefined>();
    // @ts-expect-error objects are not params
    useEndpoint('top_airlines', { nested: { a: 1 } });
  });

  it('passes react-query options through', () => {
    useEndpoint('top_airlines', {}, { refetchInterval: 5_000, enabled: false, staleTime: 1_000 });
    // @ts-expect-error the hook owns the key
    useEndpoint('top_airlines', {}, { queryKey: ['x'] });
  });
});

describe('endpointQueryOptions and useAppend', () => {
  it('carries the data type in the key (TanStack queryOptions style)', () => {
    const options = endpointQueryOptions({} as TinybirdClient, topAirlines, { airline: 'AA' });
    expectTypeOf(options.queryFn).not.toBeUndefined();
    type Data = Awaited<ReturnType<Exclude<typeof options.queryFn, undefined | symbol>>>;
    expectTypeOf<Data>().toEqualTypeOf<QueryResult<{ airline: string; bookings: number; note?: string }>>();
  });

  it('types appended rows from a data source definition', () => {
    const { append } = useAppend(events);
    append({ timestamp: '2024-01-01 00:00:00', airline: 'AA', passengers: 2 });
    // @ts-expect-error passengers is a number
    append({ timestamp: '2024-01-01 00:00:00', airline: 'AA', passengers: 'two' });
  });
});
