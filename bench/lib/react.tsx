import { createRequire } from 'node:module';
import { createRoot } from 'react-dom/client';
import type { ReactNode } from 'react';
import { scratchDir } from './scratch';

/** Renders into a fresh element of the jsdom document; returns the unmount. */
export function mount(node: ReactNode): () => void {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  root.render(node);
  return () => {
    root.unmount();
    container.remove();
  };
}

export interface TinybirdChartsQuery {
  data: unknown[] | null;
  error: string | null;
  loading: boolean;
}

/** @tinybirdco/charts' `useQuery` (SWR inside), loaded from bench/.scratch: the hook a user of that package polls with. */
export function loadTinybirdChartsUseQuery(): (options: {
  endpoint: string;
  token: string;
  params?: Record<string, string | number>;
  refreshInterval?: number;
}) => TinybirdChartsQuery {
  const require = createRequire(import.meta.url);
  return (
    require(`${scratchDir}/node_modules/@tinybirdco/charts/dist/hooks/use-chart-query.cjs`) as { useChartQuery: never }
  ).useChartQuery;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
