// app/server-rendered/live-bookings.tsx
'use client';
import { TinybirdProvider } from 'react-tinybird';
import { BarChart, Table, chartStyles } from 'react-tinybird/charts';
import { MY_BOOKINGS, POLL_MS, TOP_AIRLINES } from '@/lib/queries';

export function LiveBookings({ token, baseUrl }: { token: string; baseUrl: string }) {
  return (
    <TinybirdProvider initialToken={token} baseUrl={baseUrl} tokenUrl="/api/tinybird-token">
      {/* The chart stylesheet in the server HTML, so the charts are styled before the JavaScript runs. */}
      <style id="rtb-styles">{chartStyles}</style>
      <BarChart
        title="Top airlines"
        endpoint="top_airlines"
        params={TOP_AIRLINES}
        index="airline"
        categories={['bookings']}
        refreshInterval={POLL_MS}
      />
      <Table
        title="My bookings"
        endpoint="user_bookings"
        params={MY_BOOKINGS}
        columns={['timestamp', 'booking_id', 'airline', 'origin', 'destination', 'price']}
        refreshInterval={POLL_MS}
      />
    </TinybirdProvider>
  );
}
