import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState, type ReactNode } from 'react';
import { TinybirdProvider, useTinybirdToken } from 'react-tinybird';
import { BarChart } from 'react-tinybird/charts';
import { expect, waitFor, within } from 'storybook/test';
import { ready } from './lib/play';
import { ownProvider } from './lib/states';
import { tokenUrl } from './lib/tinybird';

function useNow(ms = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

const seconds = (ms: number | null, now: number) =>
  ms === null ? '–' : `${Math.max(0, (ms - now) / 1000).toFixed(1)} s`;

function Inspector(): ReactNode {
  const { status, error, claims, expiresAt, refreshAt, refreshCount, refresh } = useTinybirdToken();
  const now = useNow();
  const cell = { padding: '4px 12px 4px 0', verticalAlign: 'top', textAlign: 'left' } as const;
  return (
    // rtb-frame: the charts' card style and theme variables, so the panel matches them in light and dark.
    <section aria-label="Token inspector" className="rtb-frame" data-theme="auto">
      <table style={{ fontSize: 13, borderCollapse: 'collapse' }}>
        <tbody>
          <tr>
            <th style={cell}>status</th>
            <td style={cell} data-testid="status">
              {status}
              {error ? ` (${error.code}: ${error.message})` : ''}
            </td>
          </tr>
          <tr>
            <th style={cell}>refresh in</th>
            <td style={cell} data-testid="refresh-in">
              {seconds(refreshAt, now)}
            </td>
          </tr>
          <tr>
            <th style={cell}>expires in</th>
            <td style={cell}>{seconds(expiresAt, now)}</td>
          </tr>
          <tr>
            <th style={cell}>refreshCount</th>
            <td style={cell} data-testid="refresh-count">
              {refreshCount}
            </td>
          </tr>
          <tr>
            <th style={cell}>claims</th>
            <td style={cell}>
              <pre
                style={{
                  margin: 0,
                  fontSize: 12,
                  maxHeight: 200,
                  overflow: 'auto',
                  whiteSpace: 'pre-wrap',
                  wordBreak: 'break-all',
                }}
              >
                {JSON.stringify(claims, null, 2)}
              </pre>
            </td>
          </tr>
        </tbody>
      </table>
      <button type="button" className="rtb-button" onClick={() => void refresh()}>
        Refresh now
      </button>
    </section>
  );
}

/** Counts the page's requests that failed, watching fetch (every request still goes out unchanged). */
function watchFailures(): { failures: string[]; urls: string[]; stop: () => void } {
  const failures: string[] = [];
  const urls: string[] = [];
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    urls.push(url);
    try {
      const res = await original(input, init);
      if (!res.ok) failures.push(`${res.status} ${url}`);
      return res;
    } catch (error) {
      failures.push(`network error ${url}: ${String(error)}`);
      throw error;
    }
  };
  return { failures, urls, stop: () => void (window.fetch = original) };
}

let watcher: ReturnType<typeof watchFailures> | undefined;

const meta = {
  title: 'Token inspector',
  parameters: ownProvider,
  args: { ttl: 20, poll: 1_000 },
  render: ({ ttl, poll }: { ttl: number; poll: number }) => (
    <TinybirdProvider tokenUrl={tokenUrl({ ttl })}>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(280px, 1fr) 2fr', gap: 16, alignItems: 'start' }}>
        <Inspector />
        <BarChart
          endpoint="top_airlines"
          params={{ limit: 6 }}
          index="airline"
          categories={['bookings']}
          refreshInterval={poll}
          title={`Polling every ${poll / 1000} s with a ${ttl} s token`}
          description="The token is refreshed before it expires: no request ever sees an expired one"
        />
      </div>
    </TinybirdProvider>
  ),
} satisfies Meta<{ ttl: number; poll: number }>;
export default meta;

/** A 20 s token: watch the countdown, the refresh count and the claims change. */
export const Inspector20s: StoryObj<typeof meta> = {};

/**
 * A 5 s token (the demo route's shortest) under 0.5 s polling: the token is refreshed twice mid-polling and no request
 * fails (a request with an expired token would come back 403 and show up here).
 */
export const RefreshWhilePolling: StoryObj<typeof meta> = {
  args: { ttl: 5, poll: 500 },
  beforeEach: () => {
    watcher = watchFailures();
    return () => watcher?.stop();
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const figure = await ready(canvasElement);
    await waitFor(() => expect(Number(canvas.getByTestId('refresh-count').textContent)).toBeGreaterThanOrEqual(2), {
      timeout: 20_000,
      interval: 250,
    });
    // The watcher saw the traffic (three tokens, polls before and after each refresh) and none of it failed.
    expect(watcher!.urls.filter((u) => u.includes('/api/tinybird-token')).length).toBeGreaterThanOrEqual(3);
    expect(watcher!.urls.filter((u) => u.includes('/v0/pipes/top_airlines')).length).toBeGreaterThanOrEqual(10);
    expect(watcher!.failures).toEqual([]);
    expect(figure.querySelector('[role="alert"]')).toBeNull();
    expect(figure).toHaveAttribute('data-state', 'ready');
  },
};
