// Charts with the demo project's generated types: endpoint, params and the column props are checked.
import '../../../examples/tinybird-types';
import { describe, it } from 'vitest';
import { BarChart, BarList, DonutChart, LineChart, Metric, Table } from 'react-tinybird/charts';

describe('charts with generated types', () => {
  it('accept the project pipes, their params and columns', () => {
    void (
      <>
        <BarChart endpoint="top_airlines" params={{ limit: 10 }} index="airline" categories={['bookings']} />
        <LineChart endpoint="bookings_per_hour" index="hour" categories={['bookings', 'revenue']} />
        <DonutChart endpoint="top_airlines" index="airline" category="bookings" />
        <BarList endpoint="top_airlines" index="airline" category="passengers" />
        <Table endpoint="user_bookings" params={{ user_id: 'u' }} columns={['timestamp', 'price']} />
        <Metric endpoint="kpis" category="bookings" deltaCategory="bookings_delta" />
        {/* Rows given as data stay free-form. */}
        <BarChart data={[{ a: 'x', b: 1 }]} index="a" categories={['b']} />
      </>
    );
  });

  it('refuse a wrong pipe, param or column', () => {
    void (
      <>
        {/* @ts-expect-error no such pipe */}
        <BarChart endpoint="top_airline" />
        {/* @ts-expect-error misspelt param */}
        <BarChart endpoint="top_airlines" params={{ limt: 10 }} />
        {/* @ts-expect-error not a column of top_airlines */}
        <BarChart endpoint="top_airlines" index="airlines" />
        {/* @ts-expect-error not a column of bookings_per_hour */}
        <LineChart endpoint="bookings_per_hour" categories={['bookings', 'revenu']} />
        {/* @ts-expect-error not a column of kpis */}
        <Metric endpoint="kpis" category="booking" />
        {/* @ts-expect-error not a column of user_bookings */}
        <Table endpoint="user_bookings" columns={['timestamp', 'user']} />
      </>
    );
  });
});
