// The dashboard's state in the URL (jsdom's real history API): read on load, written on change, back and forward,
// no history flood, bad values ignored with a warning, and the same state from a server's search params.
import { act, renderHook, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashboardProvider, useDashboard, type DashboardProviderProps } from 'react-tinybird/dashboard';

const wrapperWith =
  (props: DashboardProviderProps) =>
  ({ children }: { children: ReactNode }) => (
    <DashboardProvider url filters={['airline', 'origin']} {...props}>
      {children}
    </DashboardProvider>
  );

beforeEach(() => window.history.replaceState(null, '', '/dash'));
afterEach(() => vi.restoreAllMocks());

const popstate = () => new Promise<void>((done) => window.addEventListener('popstate', () => done(), { once: true }));

describe('URL state', () => {
  it('reads the range and the declared filters from the query; other keys are left alone', () => {
    window.history.replaceState(null, '', '/dash?range=7d&airline=KLM&tab=2&unknown=x');
    const { result } = renderHook(() => useDashboard(), { wrapper: wrapperWith({}) });
    expect(result.current.range).toBe('7d');
    expect(result.current.filters).toEqual({ airline: 'KLM' });
    expect(window.location.search).toBe('?range=7d&airline=KLM&tab=2&unknown=x');
  });

  it('a change adds a history entry; back and forward move through the states', async () => {
    const { result } = renderHook(() => useDashboard(), { wrapper: wrapperWith({ coalesceMs: 0 }) });
    const push = vi.spyOn(window.history, 'pushState');
    act(() => result.current.setFilter('airline', 'Iberia, "Ñ"'));
    expect(new URLSearchParams(window.location.search).get('airline')).toBe('Iberia, "Ñ"');
    act(() => result.current.setRange('30d'));
    expect(Object.fromEntries(new URLSearchParams(window.location.search))).toEqual({
      airline: 'Iberia, "Ñ"',
      range: '30d',
    });
    expect(push).toHaveBeenCalledTimes(2);

    let moved = popstate();
    act(() => window.history.back());
    await act(() => moved);
    await waitFor(() => expect(result.current.range).toBe('24h'));
    expect(result.current.filters).toEqual({ airline: 'Iberia, "Ñ"' });
    moved = popstate();
    act(() => window.history.back());
    await act(() => moved);
    await waitFor(() => expect(result.current.filters).toEqual({}));
    moved = popstate();
    act(() => window.history.forward());
    await act(() => moved);
    await waitFor(() => expect(result.current.filters).toEqual({ airline: 'Iberia, "Ñ"' }));
    // Moving through history writes nothing new.
    expect(push).toHaveBeenCalledTimes(2);
  });

  it('changes close together (typing, dragging) replace the last entry instead of adding one each', () => {
    const { result } = renderHook(() => useDashboard(), { wrapper: wrapperWith({ coalesceMs: 60_000 }) });
    const push = vi.spyOn(window.history, 'pushState');
    const replace = vi.spyOn(window.history, 'replaceState');
    for (const day of [1, 2, 3, 4, 5]) {
      act(() =>
        result.current.setRange({ start: new Date(Date.UTC(2026, 11, day)), end: new Date(Date.UTC(2026, 11, 9)) }),
      );
    }
    expect(push).toHaveBeenCalledTimes(1);
    expect(replace).toHaveBeenCalledTimes(4);
    expect(window.location.search).toBe('?from=2026-12-05T00%3A00%3A00.000Z&to=2026-12-09T00%3A00%3A00.000Z');
  });

  it('a fixed range round-trips through the URL', () => {
    window.history.replaceState(null, '', '/dash?from=2026-12-01T00:00:00Z&to=2026-12-02T12:00:00Z');
    const { result } = renderHook(() => useDashboard(), { wrapper: wrapperWith({}) });
    expect(result.current.range).toEqual({
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-02T12:00:00Z'),
    });
    expect(result.current.resolved.granularity).toBe('hour');
  });

  it('an unreadable range in the URL is ignored with a console warning, and the default used', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    window.history.replaceState(null, '', '/dash?range=forever&airline=KLM');
    const first = renderHook(() => useDashboard(), { wrapper: wrapperWith({ defaultRange: '7d' }) });
    expect(first.result.current.range).toBe('7d');
    expect(first.result.current.filters).toEqual({ airline: 'KLM' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('range=forever'));
    first.unmount();

    window.history.replaceState(null, '', '/dash?from=2026-12-05T00:00:00Z&to=2026-12-01T00:00:00Z');
    const second = renderHook(() => useDashboard(), { wrapper: wrapperWith({ defaultRange: '7d' }) });
    expect(second.result.current.range).toBe('7d');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('must start before it ends'));
  });

  it("a server render reads the request's search params, so the first HTML shows the URL's state", () => {
    function Show() {
      const { range, filters } = useDashboard();
      return <p>{`${String(range)} ${filters.airline ?? 'all'}`}</p>;
    }
    const html = renderToString(
      <DashboardProvider url filters={['airline']} searchParams={{ range: '30d', airline: 'KLM', tab: ['a', 'b'] }}>
        <Show />
      </DashboardProvider>,
    );
    expect(html).toContain('30d KLM');
  });

  it('a custom adapter can own the URL (a router of your own)', () => {
    let search = '?airline=BA';
    const writes: [string, string][] = [];
    const adapter = {
      getSearch: () => search,
      setSearch: (next: string, mode: 'push' | 'replace') => {
        search = next;
        writes.push([next, mode]);
      },
      subscribe: () => () => {},
    };
    const { result } = renderHook(() => useDashboard(), { wrapper: wrapperWith({ url: adapter, coalesceMs: 0 }) });
    expect(result.current.filters).toEqual({ airline: 'BA' });
    act(() => result.current.setFilter('origin', 'MAD'));
    expect(writes).toEqual([['?airline=BA&origin=MAD', 'push']]);
  });
});

describe('URL state, robustness', () => {
  it('reading back a URL that says nothing new re-renders nothing', () => {
    let search = '?airline=BA';
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders++;
        return useDashboard();
      },
      {
        wrapper: ({ children }: { children: ReactNode }) => (
          <DashboardProvider
            url={{ getSearch: () => search, setSearch: (next) => void (search = next), subscribe: () => () => {} }}
            filters={['airline']}
          >
            {children}
          </DashboardProvider>
        ),
      },
    );
    expect(result.current.filters).toEqual({ airline: 'BA' });
    expect(renders).toBe(1);
  });
});
