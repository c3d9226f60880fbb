import { defineDatasource, defineEndpoint, node, p, t } from '@tinybirdco/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { BarChartProps, ChartDataProps } from 'react-tinybird/charts';

const topAirlines = defineEndpoint('top_airlines', {
  params: { limit: p.int32().optional(10) },
  nodes: [node({ name: 'endpoint', sql: 'SELECT airline, count() AS bookings FROM events GROUP BY airline' })],
  output: { airline: t.string(), bookings: t.uint64() },
});
const events = defineDatasource('events', { schema: { airline: t.string() } });

describe('a chart endpoint', () => {
  it('is a pipe name or an @tinybirdco/sdk endpoint definition, never a data source definition', () => {
    expectTypeOf(topAirlines).toMatchTypeOf<NonNullable<ChartDataProps['endpoint']>>();
    expectTypeOf<'top_airlines'>().toMatchTypeOf<NonNullable<BarChartProps['endpoint']>>();
    expectTypeOf(events).not.toMatchTypeOf<NonNullable<BarChartProps['endpoint']>>();
  });
});
