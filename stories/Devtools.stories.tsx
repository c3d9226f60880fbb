import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { TinybirdProvider, useAppend } from 'react-tinybird';
import { BarChart } from 'react-tinybird/charts';
import { TinybirdDevtools } from 'react-tinybird/devtools';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { booking } from './lib/booking';
import { failed, ready } from './lib/play';
import { ownProvider, withFlakyTokenService } from './lib/states';
import { tokenUrl } from './lib/tinybird';

/** A data source the local server does not have: its rows are refused with a 404 and held as failed. */
const MISSING = 'no_such_datasource';
const TIMEOUT = { timeout: 10_000 };

function Demo(): ReactNode {
  // A user of our own, so the rows this story appends are told apart from everyone else's.
  const [user] = useState(() => `u_story_${Math.random().toString(36).slice(2, 10)}`);
  const bookings = useAppend('events');
  // @ts-expect-error not a data source of the project, on purpose: the devtools show its rows refused
  const refused = useAppend(MISSING);
  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 720 }}>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" onClick={() => bookings.append(booking(user))}>
          Book a flight
        </button>
        <button type="button" onClick={() => refused.append({ user_id: user })}>
          Append to a missing data source
        </button>
      </div>
      <BarChart
        endpoint="top_airlines"
        params={{ limit: 5 }}
        index="airline"
        categories={['bookings']}
        title="Top airlines"
        height={200}
      />
    </div>
  );
}

const meta = {
  title: 'Devtools',
  parameters: ownProvider,
  render: () => (
    <TinybirdProvider tokenUrl={tokenUrl({ ttl: 30 })}>
      <TinybirdDevtools initialIsOpen />
      <Demo />
    </TinybirdProvider>
  ),
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** The row of `table` whose cells include `text`. */
const rowWith = (table: HTMLElement, text: string) =>
  within(table)
    .getAllByRole<HTMLTableRowElement>('row')
    .find((row) => row.textContent!.includes(text));

/**
 * The panel open on a live page: the token and its claims, the chart's request, appends that succeed and appends that
 * fail (a 404) with retry and discard, and the chart's cache entry.
 */
export const Panel: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await ready(canvasElement);
    const toggle = canvas.getByRole('button', { name: 'Close Tinybird devtools' });
    const region = canvas.getByRole('region', { name: 'Tinybird devtools' });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const panel = within(region);

    // Token: ready, counting down, claims readable.
    expect(panel.getByTestId('rtbd-token-status')).toHaveTextContent('ready');
    expect(panel.getByTestId('rtbd-expires-in')).toHaveTextContent(/^\d+\.\ds$/);
    expect(panel.getByTestId('rtbd-refresh-at')).toHaveTextContent(/^\d\d:\d\d:\d\d \(in \d+\.\ds\)$/);
    expect(panel.getByTestId('rtbd-refresh-count')).toHaveTextContent('0');
    // A JWT's principal: a hash of its workspace and scopes, never the token.
    expect(panel.getByTestId('rtbd-principal')).toHaveTextContent(/^j:[0-9a-z]+$/);
    const claims = panel.getByTestId('rtbd-claims');
    expect(claims).toHaveTextContent('"type": "DATASOURCES:APPEND"');
    expect(claims).toHaveTextContent(/"exp": \d+ \/\/ \d{4}-/);

    // The chart's request: a pipe, answered 200, with a latency and a size.
    const requests = panel.getByRole('table', { name: 'Requests' });
    await waitFor(() => expect(rowWith(requests, 'top_airlines')).toBeDefined(), TIMEOUT);
    const pipe = rowWith(requests, 'top_airlines')!;
    expect(pipe).toHaveAttribute('data-kind', 'pipe');
    expect(pipe).toHaveAttribute('data-status', '200');
    expect(pipe.textContent).toMatch(/\d+ ms/);
    expect(pipe.textContent).toMatch(/\d+(\.\d)? (B|KB)$/);

    // The chart's cache entry, owned by this provider.
    const cache = panel.getByRole('table', { name: 'Query cache' });
    await waitFor(() => expect(rowWith(cache, 'top_airlines {"limit":5}')).toHaveAttribute('data-status', 'success'));
    // It holds the current token's principal (a mismatch would be starred).
    expect(rowWith(cache, 'top_airlines')!.textContent).toContain(panel.getByTestId('rtbd-principal').textContent!);
    expect(rowWith(cache, 'top_airlines')!.textContent).not.toContain('*');

    // A successful append: the events queue row counts it as sent.
    await userEvent.click(canvas.getByRole('button', { name: 'Book a flight' }));
    const queues = () => panel.getByRole('table', { name: 'Append queues' });
    const queue = (name: string) => queues().querySelector<HTMLElement>(`tr[data-datasource="${name}"]`);
    await waitFor(() => expect(within(queue('events')!).getByTestId('rtbd-sent')).toHaveTextContent('1'), TIMEOUT);
    expect(within(queue('events')!).getByTestId('rtbd-pending')).toHaveTextContent('0');

    // A refused append: a 404 is final (no retry), the rows are held as failed.
    await userEvent.click(canvas.getByRole('button', { name: 'Append to a missing data source' }));
    await waitFor(
      () => expect(within(queue(MISSING)!).getByTestId('rtbd-failed')).toHaveTextContent('1 (NOT_FOUND)'),
      TIMEOUT,
    );
    const refusal = rowWith(requests, MISSING)!;
    expect(refusal).toHaveAttribute('data-kind', 'events');
    expect(refusal).toHaveAttribute('data-status', '404');
    // retries, 403 refreshes, 429 backoffs
    expect([...refusal.cells].slice(5, 8).map((cell) => cell.textContent)).toEqual(['0', '0', '0']);

    // Retry sends the rows again (and they fail again); discard lets them go.
    const sends = () =>
      within(requests)
        .getAllByRole('row')
        .filter((row) => row.textContent!.includes(MISSING));
    await userEvent.click(panel.getByRole('button', { name: `Retry failed rows of ${MISSING}` }));
    await waitFor(() => expect(sends()).toHaveLength(2), TIMEOUT);
    await waitFor(
      () => expect(within(queue(MISSING)!).getByTestId('rtbd-failed')).toHaveTextContent('1 (NOT_FOUND)'),
      TIMEOUT,
    );
    await userEvent.click(panel.getByRole('button', { name: `Discard failed rows of ${MISSING}` }));
    expect(within(queue(MISSING)!).getByTestId('rtbd-failed')).toHaveTextContent(/^0$/);
    expect(panel.getByRole('button', { name: `Discard failed rows of ${MISSING}` })).toBeDisabled();

    await userEvent.click(toggle);
    expect(canvas.queryByRole('region', { name: 'Tinybird devtools' })).toBeNull();
    expect(canvas.getByRole('button', { name: 'Tinybird devtools' })).toHaveAttribute('aria-expanded', 'false');
  },
};

/** The claims block never wraps inside a word and never cuts a value off: every line is one line box, and it scrolls. */
export const ClaimsNeverWrap: Story = {
  render: () => (
    <TinybirdProvider tokenUrl={tokenUrl({ ttl: 30, user: 'a_user_with_a_rather_long_identifier_1234567890' })}>
      <TinybirdDevtools initialIsOpen />
    </TinybirdProvider>
  ),
  play: async ({ canvasElement }) => {
    // Nothing on the page queries, so no token was fetched yet: ask for one.
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Refresh now' }));
    const claims = within(canvasElement).getByTestId('rtbd-claims');
    await waitFor(() => expect(claims).toHaveTextContent('a_user_with_a_rather_long_identifier_1234567890'), TIMEOUT);
    // As narrow as on a phone, whatever the test browser's viewport.
    claims.style.width = '240px';
    const style = getComputedStyle(claims);
    expect(style.whiteSpace).toBe('pre');
    expect([style.overflowX, style.overflowY]).toEqual(['auto', 'auto']);
    const text = claims.textContent!;
    const range = document.createRange();
    range.selectNodeContents(claims);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    expect(lines.size).toBe(text.split('\n').length);
    // The longest line is wider than the box: reachable by scrolling, not clipped away.
    claims.scrollLeft = claims.scrollWidth;
    expect(claims.scrollLeft).toBeGreaterThan(0);
  },
};

/** The token service is down for a moment: once Retry brings a token, the panel still shows the error it saw. */
export const LastErrorAfterRecovery: Story = {
  decorators: [withFlakyTokenService],
  render: () => (
    <>
      <TinybirdDevtools initialIsOpen />
      <BarChart endpoint="top_airlines" params={{ limit: 5 }} index="airline" categories={['bookings']} height={200} />
    </>
  ),
  play: async ({ canvasElement }) => {
    const panel = within(within(canvasElement).getByRole('region', { name: 'Tinybird devtools' }));
    const alert = await failed(canvasElement);
    await waitFor(() => expect(panel.getByTestId('rtbd-token-status')).toHaveTextContent('error'));
    expect(panel.getByTestId('rtbd-last-error')).toHaveTextContent(
      /^\d\d:\d\d:\d\d TOKEN_FETCH_FAILED: .*simulated outage/,
    );
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await ready(canvasElement);
    expect(panel.getByTestId('rtbd-token-status')).toHaveTextContent('ready');
    expect(panel.getByTestId('rtbd-last-error')).toHaveTextContent('TOKEN_FETCH_FAILED');
  },
};

const background = (canvas: HTMLElement) =>
  getComputedStyle(within(canvas).getByRole('region', { name: 'Tinybird devtools' })).backgroundColor;

/** The panel follows the page's theme (a data-theme ancestor): light... */
export const Light: Story = {
  globals: { theme: 'light' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(background(canvasElement)).toBe('rgb(255, 255, 255)');
  },
};

/** ...and dark. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(background(canvasElement)).toBe('rgb(15, 23, 42)');
  },
};
