// Charts in the first HTML: recharts 3 draws nothing on the server, so the charts send their own static SVG, at the
// declared width (scaled to the container) in a box of the final height, and recharts takes over after hydration.
import { act } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AreaChart, BarChart, DonutChart, LineChart } from 'react-tinybird/charts';

const rows = [
  { airline: 'KLM', bookings: 12, revenue: 900 },
  { airline: 'Iberia', bookings: 8, revenue: 700 },
  { airline: 'Ryanair', bookings: 5, revenue: 300 },
];
const hourly = [0, 1, 2, 3].map((h) => ({ hour: `2026-01-01 0${h}:00:00`, bookings: 3 + h }));
const hourlyMeta = [
  { name: 'hour', type: 'DateTime' },
  { name: 'bookings', type: 'UInt64' },
];

beforeAll(() => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

const parse = (html: string) => {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host;
};

describe('server-rendered charts', () => {
  it('a responsive BarChart sends its bars as SVG, scaled to the container, in a box of its final height', () => {
    const html = renderToString(
      <BarChart data={rows} index="airline" categories={['bookings', 'revenue']} height={220} initialWidth={480} />,
    );
    const host = parse(html);
    const svg = host.querySelector('svg.rtb-static-chart')!;
    expect(svg).not.toBeNull();
    expect(svg.getAttribute('viewBox')).toBe('0 0 480 220');
    expect(svg.getAttribute('width')).toBe('100%');
    expect(svg.querySelectorAll('rect')).toHaveLength(6);
    expect(host.querySelector<HTMLElement>('.rtb-chart')!.style.height).toBe('220px');
    // Taller bars for bigger values: KLM's revenue bar is the tallest.
    const heights = [...svg.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(Math.max(...heights)).toBe(heights[3]);
  });

  it('LineChart and AreaChart send their series as paths; DonutChart its slices', () => {
    const line = parse(
      renderToString(<LineChart data={hourly} meta={hourlyMeta} index="hour" width={400} height={200} />),
    );
    expect(line.querySelector('svg.rtb-static-chart')!.getAttribute('width')).toBe('400');
    expect(line.querySelectorAll('svg.rtb-static-chart path[stroke]')).toHaveLength(1);
    const area = parse(renderToString(<AreaChart data={hourly} meta={hourlyMeta} index="hour" height={200} />));
    expect(area.querySelectorAll('svg.rtb-static-chart path')).toHaveLength(2); // the fill and the line
    const donut = parse(renderToString(<DonutChart data={rows} index="airline" category="bookings" height={200} />));
    expect(donut.querySelectorAll('svg.rtb-static-chart path')).toHaveLength(3);
  });

  it('hydrates without a mismatch, then recharts draws in place of the static SVG', async () => {
    const ui = <BarChart data={rows} index="airline" categories={['bookings']} width={400} height={200} />;
    const container = document.createElement('div');
    container.innerHTML = renderToString(ui);
    document.body.appendChild(container);
    const errors: unknown[] = [];
    await act(async () => {
      hydrateRoot(container, ui, { onRecoverableError: (error) => errors.push(error) });
    });
    expect(errors).toEqual([]);
    expect(container.querySelector('svg.rtb-static-chart')).toBeNull();
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3);
    container.remove();
  });
});
