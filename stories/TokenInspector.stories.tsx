import type { Meta, StoryObj } from '@storybook/react-vite';
import { TinybirdProvider } from 'react-tinybird';
import { BarChart } from 'react-tinybird/charts';
import { TinybirdDevtools } from 'react-tinybird/devtools';
import { expect, waitFor, within } from 'storybook/test';
import { ready } from './lib/play';
import { ownProvider } from './lib/states';
import { tokenUrl } from './lib/tinybird';

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
      {/* The token section of the devtools panel is the inspector: countdowns, refresh count, claims. */}
      <TinybirdDevtools initialIsOpen />
      <div style={{ maxWidth: 640 }}>
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
    await waitFor(
      () => expect(Number(canvas.getByTestId('rtbd-refresh-count').textContent)).toBeGreaterThanOrEqual(2),
      {
        timeout: 20_000,
        interval: 250,
      },
    );
    // The watcher saw the traffic (three tokens, polls before and after each refresh) and none of it failed.
    expect(watcher!.urls.filter((u) => u.includes('/api/tinybird-token')).length).toBeGreaterThanOrEqual(3);
    expect(watcher!.urls.filter((u) => u.includes('/v0/pipes/top_airlines')).length).toBeGreaterThanOrEqual(10);
    expect(watcher!.failures).toEqual([]);
    // The devtools' request log agrees: every pipe request it saw was answered 200 (or is still in flight).
    const log = canvas.getByRole('table', { name: 'Requests' });
    expect(log.querySelectorAll('tr[data-kind="pipe"]').length).toBeGreaterThanOrEqual(5);
    expect(
      log.querySelectorAll('tr[data-kind="pipe"]:not([data-status="200"]):not([data-status="pending"])'),
    ).toHaveLength(0);
    expect(figure.querySelector('[role="alert"]')).toBeNull();
    expect(figure).toHaveAttribute('data-state', 'ready');
  },
};
