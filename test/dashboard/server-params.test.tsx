// resolveDashboardParams (react-tinybird/server) gives a server the params a DashboardProvider with the same options
// sends for the same URL, so a page prefetches exactly the queries its first render asks for.
import { renderToString } from 'react-dom/server';
import { useContext } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardContext } from 'react-tinybird';
import { DashboardProvider, type DashboardProviderProps } from 'react-tinybird/dashboard';
import { resolveDashboardParams } from '../../src/server/resolveDashboardParams';

// What a page shares between its server component and its provider.
const KIT: DashboardProviderProps = {
  defaultRange: '30d',
  filters: ['domain'],
  timeParams: { start: 'date_from', end: 'date_to', format: 'date' },
};

function Sent() {
  const dashboard = useContext(DashboardContext)!;
  return <pre>{JSON.stringify({ params: dashboard.params, previousParams: dashboard.previousParams })}</pre>;
}

/** The params the provider sends in a server render of the page (what the first HTML shows). */
function providerParams(props: DashboardProviderProps): unknown {
  const html = renderToString(
    <DashboardProvider url {...props}>
      <Sent />
    </DashboardProvider>,
  );
  const json = /<pre>(.*)<\/pre>/.exec(html)![1]!.replaceAll('&quot;', '"');
  return JSON.parse(json);
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('resolveDashboardParams', () => {
  it.each([
    ['a preset', { range: '7d', domain: 'example.com' }],
    ['a fixed range', { from: '2025-07-01T00:00:00.000Z', to: '2025-07-10T00:00:00.000Z' }],
    ['no state in the URL', {}],
    ['a filter value with quotes, commas and non-ASCII text', { domain: 'a "b", ñ' }],
  ])('sends what the provider sends for %s', (_, searchParams) => {
    const server = resolveDashboardParams({ ...KIT, searchParams });
    expect(providerParams({ ...KIT, searchParams, initialNow: server.initialNow })).toEqual({
      params: server.params,
      previousParams: server.previousParams,
    });
  });

  it('the provider resolves at the server clock it is given, even when its own has crossed midnight', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-07-16T23:59:59.900Z'));
    const server = resolveDashboardParams({ ...KIT, searchParams: { range: 'today' } });
    expect(server.params).toEqual({ date_from: '2025-07-16', date_to: '2025-07-16' });
    vi.setSystemTime(new Date('2025-07-17T00:00:00.300Z')); // hydration, a moment later
    const sent = providerParams({ ...KIT, searchParams: { range: 'today' }, initialNow: server.initialNow });
    expect(sent).toEqual({ params: server.params, previousParams: server.previousParams });
  });

  it('a frozen clock resolves rolling ranges against it', () => {
    const now = Date.parse('2025-07-17T12:00:00Z');
    const { params, previousParams } = resolveDashboardParams({ ...KIT, searchParams: { range: '7d' }, now });
    expect(params).toEqual({ date_from: '2025-07-10', date_to: '2025-07-17' });
    expect(previousParams).toEqual({ date_from: '2025-07-03', date_to: '2025-07-10' });
  });

  it('ignores an unreadable URL with a warning and uses the defaults, as the provider does', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const now = Date.parse('2025-07-17T12:00:00Z');
    const bad = resolveDashboardParams({ ...KIT, searchParams: { range: 'forever', from: 'x' }, now });
    expect(bad.params).toEqual(resolveDashboardParams({ ...KIT, now }).params);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('from=x'));
  });
});
