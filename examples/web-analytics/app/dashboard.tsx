// app/dashboard.tsx: the whole dashboard. Every widget gets the time range and the domain filter from the provider.
'use client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { HydrationBoundary, QueryClient, QueryClientProvider, type DehydratedState } from '@tanstack/react-query';
import { useState } from 'react';
import { TinybirdProvider } from 'react-tinybird';
import { DashboardProvider, FilterChips, TimeRangePicker } from 'react-tinybird/dashboard';
import { BarChart, BarList, DonutChart, LineChart, Metric, Table } from 'react-tinybird/charts';
import { DASHBOARD, KPI_PARAMS, TOP } from '@/lib/widgets';
import { Kpis } from './kpis';

const EXPORT = ['csv', 'ndjson', 'parquet'] as const;

interface DashboardProps {
  token: string;
  baseUrl: string;
  searchParams: Record<string, string | string[] | undefined>;
  now?: number;
  initialNow: number;
  tab: 'analytics' | 'vitals';
  /** The rows the server fetched for this view. */
  rows: DehydratedState;
}

export function Dashboard({ token, baseUrl, searchParams, now, initialNow, tab, rows }: DashboardProps) {
  // A staleTime, so the rows the server fetched are not fetched again as soon as the page hydrates.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <HydrationBoundary state={rows}>
        <TinybirdProvider initialToken={token} baseUrl={baseUrl} tokenUrl="/api/tinybird-token">
          <DashboardProvider url {...DASHBOARD} searchParams={searchParams} initialNow={initialNow} now={now}>
            <header>
              <h1>Web analytics</h1>
              <FilterChips labels={{ domain: 'Domain' }} />
              <TimeRangePicker />
            </header>
            <Tabs tab={tab} />
            {tab === 'analytics' ? <Analytics /> : <WebVitals />}
          </DashboardProvider>
        </TinybirdProvider>
      </HydrationBoundary>
    </QueryClientProvider>
  );
}

function Tabs({ tab }: Pick<DashboardProps, 'tab'>) {
  // Next.js follows the provider's history.pushState, so these links keep the range and filters of the moment.
  const search = useSearchParams();
  const href = (to: string) => {
    const query = new URLSearchParams(search);
    if (to === 'vitals') query.set('tab', to);
    else query.delete('tab');
    return `?${query}`;
  };
  return (
    <nav aria-label="Tabs">
      {(['analytics', 'vitals'] as const).map((to) => (
        <Link key={to} href={href(to)} aria-current={tab === to ? 'page' : undefined}>
          {to === 'analytics' ? 'Analytics' : 'Web vitals'}
        </Link>
      ))}
    </nav>
  );
}

function Analytics() {
  return (
    <>
      <Kpis />
      <div className="grid">
        <LineChart
          className="wide"
          title="Trend"
          endpoint="kpis"
          params={KPI_PARAMS}
          index="date"
          categories={['visits', 'pageviews']}
          exportFormats={EXPORT}
        />
        <Metric
          title="Current visitors"
          endpoint="current_visitors"
          category="visits"
          label="in the last 5 minutes"
          refreshInterval={30_000}
        />
        <BarChart title="Last 30 minutes" endpoint="trend" index="t" categories={['visits']} refreshInterval={30_000} />
        <BarList
          title="Domains"
          endpoint="domains"
          index="domain"
          category="total_hits"
          crossFilter="domain"
          exportFormats={EXPORT}
        />
        <BarList
          title="Top pages"
          endpoint="top_pages"
          params={TOP}
          index="pathname"
          category="visits"
          exportFormats={EXPORT}
        />
        <BarList
          title="Top sources"
          endpoint="top_sources"
          params={TOP}
          index="referrer"
          category="visits"
          exportFormats={EXPORT}
        />
        <DonutChart title="Devices" endpoint="top_devices" index="device" category="visits" exportFormats={EXPORT} />
        <BarList
          title="Browsers"
          endpoint="top_browsers"
          params={TOP}
          index="browser"
          category="visits"
          exportFormats={EXPORT}
        />
        <BarList
          title="Locations"
          endpoint="top_locations"
          params={TOP}
          index="location"
          category="visits"
          exportFormats={EXPORT}
        />
      </div>
    </>
  );
}

function WebVitals() {
  return (
    <div className="grid">
      <Table
        className="wide"
        title="Web vitals"
        endpoint="web_vitals_distribution"
        columns={['metric_name', 'domain', 'performance_category', 'p75', 'p95', 'measurement_count']}
        headers={{ metric_name: 'Metric', performance_category: 'Rating', measurement_count: 'Measurements' }}
        exportFormats={EXPORT}
      />
    </div>
  );
}
