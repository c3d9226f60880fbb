// app/kpis.tsx: the four KPIs over the whole range, each with its change against the previous period
'use client';
import { useEndpoint } from 'react-tinybird';
import { Metric } from 'react-tinybird/charts';
import { KPI_PARAMS } from '@/lib/widgets';
import type { KpisRow } from '@/tinybird-types';

// The previous_* columns come only with include_previous_period=true, and the generated row is kpis at its defaults:
// this call names its row, the generated one and those.
type Day = KpisRow &
  Record<'previous_visits' | 'previous_pageviews' | 'previous_bounce_rate' | 'previous_avg_session_sec', number>;

const duration = (s: number) => `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
const percent = (n: number) => `${Math.round(n * 100)}%`;

/** kpis answers one row per day: the totals are visit-weighted sums of those rows. */
function totals(days: readonly Day[], prefix: '' | 'previous_') {
  const get = (day: Day, key: string) => Number(day[`${prefix}${key}` as keyof Day]) || 0;
  const sum = (f: (day: Day) => number) => days.reduce((total, day) => total + f(day), 0);
  const visits = sum((day) => get(day, 'visits'));
  const weighted = (key: string) => (visits ? sum((day) => get(day, key) * get(day, 'visits')) / visits : 0);
  return {
    visits,
    pageviews: sum((day) => get(day, 'pageviews')),
    bounce_rate: weighted('bounce_rate'),
    avg_session_sec: weighted('avg_session_sec'),
  };
}

const KPIS = [
  { key: 'visits', label: 'Unique visitors' },
  { key: 'pageviews', label: 'Pageviews' },
  { key: 'bounce_rate', label: 'Bounce rate', format: percent, lowerIsBetter: true },
  { key: 'avg_session_sec', label: 'Visit duration', format: duration },
] as const;

export function Kpis() {
  const { data = [], isPending, error } = useEndpoint<Day>('kpis', KPI_PARAMS);
  const now = totals(data, '');
  const before = totals(data, 'previous_');
  return (
    <div className="grid">
      {KPIS.map((kpi) => (
        <Metric
          key={kpi.key}
          title={kpi.label}
          label="vs previous period"
          data={isPending || error ? [] : [{ value: now[kpi.key], previous: before[kpi.key] }]}
          category="value"
          previousCategory="previous"
          valueFormatter={'format' in kpi ? kpi.format : undefined}
          lowerIsBetter={'lowerIsBetter' in kpi}
        />
      ))}
    </div>
  );
}
