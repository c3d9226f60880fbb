// Export against the real local server: the file is the endpoint's own .csv/.ndjson/.parquet answer for exactly the
// params the chart sends, fetched with the Bearer header; no URL ever holds the token.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { TinybirdProvider } from 'react-tinybird';
import { BarList } from 'react-tinybird/charts';
import { DashboardProvider } from 'react-tinybird/dashboard';

const tb = inject('tinybird');
const HOUR = 3_600_000;
const end = Math.floor(Date.now() / HOUR) * HOUR;
const range = { start: new Date(end - 48 * HOUR), end: new Date(end) };
const text = (t: Date) => t.toISOString().slice(0, 19).replace('T', ' ');

let saved: { blob: Blob; name: string }[] = [];

beforeAll(() => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

afterEach(() => {
  vi.restoreAllMocks();
  saved = [];
});

/** jsdom has no object URLs and does not download: record what would be saved, under which name. */
function captureSaves() {
  let pending: Blob | undefined;
  URL.createObjectURL = (blob: Blob) => {
    pending = blob;
    return 'blob:test';
  };
  URL.revokeObjectURL = () => {};
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ blob: pending!, name: this.download });
  });
}

async function directText(path: string): Promise<string> {
  const { token } = (await (await fetch(tb.tokenUrl)).json()) as { token: string };
  const res = await fetch(`${tb.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.text();
}

describe('export', () => {
  it('downloads exactly what the chart shows, as CSV and NDJSON, with the dashboard params and no token in a URL', async () => {
    captureSaves();
    const requests = vi.spyOn(globalThis, 'fetch'); // passes through: the requests are real
    render(
      <TinybirdProvider tokenUrl={tb.tokenUrl} queryClient={new QueryClient()}>
        <DashboardProvider defaultRange={range}>
          <BarList
            endpoint="top_airlines"
            params={{ limit: 4 }}
            index="airline"
            exportFormats={['csv', 'ndjson']}
            title="Top"
          />
        </DashboardProvider>
      </TinybirdProvider>,
    );
    const figure = screen.getByRole('figure', { name: 'Top' });
    await waitFor(() => expect(figure).toHaveAttribute('data-state', 'ready'));
    fireEvent.click(within(figure).getByRole('button', { name: 'Download Top as CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    fireEvent.click(within(figure).getByRole('button', { name: 'Download Top as NDJSON' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    const calls = [...requests.mock.calls];

    const query = new URLSearchParams({ limit: '4', start: text(range.start), end: text(range.end) });
    expect(saved[0]!.name).toBe('top_airlines.csv');
    expect(await saved[0]!.blob.text()).toBe(await directText(`/v0/pipes/top_airlines.csv?${query}`));
    expect(saved[1]!.name).toBe('top_airlines.ndjson');
    const ndjson = await saved[1]!.blob.text();
    expect(ndjson).toBe(await directText(`/v0/pipes/top_airlines.ndjson?${query}`));
    // The file has the rows the chart draws.
    const labels = within(figure)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('.rtb-barlist-label')!.textContent);
    expect(
      ndjson
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { airline: string }).airline),
    ).toEqual(labels);

    const exportCalls = calls.filter(([url]) => /\.(csv|ndjson)/.test(String(url)));
    expect(exportCalls).toHaveLength(2);
    for (const [url, init] of calls) {
      expect(String(url)).not.toMatch(/token=|eyJ/);
      if (/\.(csv|ndjson)/.test(String(url))) {
        expect(new Headers(init?.headers).get('Authorization')).toMatch(/^Bearer eyJ/);
      }
    }
  });

  it("a Parquet file is the endpoint's Parquet answer", async () => {
    captureSaves();
    render(
      <TinybirdProvider tokenUrl={tb.tokenUrl} queryClient={new QueryClient()}>
        <BarList endpoint="top_airlines" params={{ limit: 3 }} index="airline" exportFormats={['parquet']} title="P" />
      </TinybirdProvider>,
    );
    const p = screen.getByRole('figure', { name: 'P' });
    await waitFor(() => expect(p).toHaveAttribute('data-state', 'ready'));
    fireEvent.click(within(p).getByRole('button', { name: 'Download P as PARQUET' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const bytes = new Uint8Array(await saved[0]!.blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
    expect(bytes.byteLength).toBeGreaterThan(100);
  });
});
