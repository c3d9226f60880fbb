// app/dashboard/dashboard.tsx
'use client';
import { TinybirdProvider, useEndpoint } from 'react-tinybird';
import { BarChart, DonutChart } from 'react-tinybird/charts';
import { MY_BOOKINGS, POLL_MS, TOP_AIRLINES } from '@/lib/queries';

function MyBookings() {
  // Rows and params typed from tinybird-types.ts (`npx react-tinybird types`): no generic, a typo does not compile.
  const { data, isPending, error } = useEndpoint('user_bookings', MY_BOOKINGS, { refetchInterval: POLL_MS });
  if (isPending) return <p>Loading…</p>;
  if (error)
    return (
      <p role="alert">
        {error.code}: {error.message}
      </p>
    );
  return (
    <ul aria-label="My bookings">
      {data.map((b) => (
        <li key={b.booking_id} data-booking={b.booking_id}>
          {b.timestamp} {b.airline} {b.origin} → {b.destination}: {b.price.toFixed(2)}
        </li>
      ))}
    </ul>
  );
}

export function Dashboard() {
  return (
    <TinybirdProvider tokenUrl="/api/tinybird-token">
      <BarChart
        title="Top airlines"
        endpoint="top_airlines"
        params={TOP_AIRLINES}
        index="airline"
        categories={['bookings']}
        refreshInterval={POLL_MS}
      />
      <DonutChart
        title="Revenue by airline"
        endpoint="top_airlines"
        params={TOP_AIRLINES}
        index="airline"
        category="revenue"
      />
      <h2>My bookings</h2>
      <MyBookings />
    </TinybirdProvider>
  );
}
