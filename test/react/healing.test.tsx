// Page events end outages: on `online` (or a tab shown) react-query's own reconnect/focus refetch asks for a token at
// the moment the token source starts fetching one; it must wait for that token, not flash the last failure.
import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TinybirdProvider, useEndpoint, useTinybirdToken } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  await server.close();
});

it('a widget that kept its data through an outage shows no error when the network comes back', async () => {
  server.tokenTtl = 3; // expires during the outage below
  const queryClient = new QueryClient();
  queryClient.mount(); // react-query's online and focus managers, as a QueryClientProvider would
  const errors: Array<string | undefined> = [];
  function Widget() {
    const { data, error } = useEndpoint('top_airlines');
    const { status } = useTinybirdToken();
    errors.push(error?.code);
    return <p>{data ? `rows ${status}` : 'loading'}</p>;
  }
  render(
    <TinybirdProvider tokenUrl={server.tokenUrl} baseUrl={server.url} queryClient={queryClient}>
      <Widget />
    </TinybirdProvider>,
  );
  await screen.findByText('rows ready');
  // Offline: the token route is out of reach, the token expires, the token source cools down on its failure.
  server.tokenMode = 'drop';
  window.dispatchEvent(new Event('offline'));
  await screen.findByText('rows error', {}, { timeout: 10_000 });
  server.tokenMode = 'json';
  const before = server.counts.token;
  const seen = errors.length;
  window.dispatchEvent(new Event('online'));
  await waitFor(() => expect(server.requests.length).toBeGreaterThan(1));
  await screen.findByText('rows ready');
  await waitFor(() => expect(queryClient.isFetching()).toBe(0));
  expect(server.counts.token).toBe(before + 1);
  expect(errors.slice(seen).filter(Boolean)).toEqual([]);
  queryClient.unmount();
});

it('a QueryClient given as a prop, with no QueryClientProvider, still pauses while offline and refetches when back', async () => {
  // Not mounted here: the provider mounts the QueryClient it uses, so react-query's online manager listens.
  const queryClient = new QueryClient();
  const seen: Array<{ fetchStatus: string; error: string | undefined }> = [];
  let refetch: () => unknown = () => {};
  function Widget() {
    const result = useEndpoint('top_airlines');
    seen.push({ fetchStatus: result.fetchStatus, error: result.error?.code });
    refetch = result.refetch;
    return <p>{result.data ? `rows ${result.fetchStatus}` : 'loading'}</p>;
  }
  const { unmount } = render(
    <TinybirdProvider tokenUrl={server.tokenUrl} baseUrl={server.url} queryClient={queryClient}>
      <Widget />
    </TinybirdProvider>,
  );
  await screen.findByText('rows idle');
  const pipeRequests = server.counts.pipe;
  try {
    window.dispatchEvent(new Event('offline'));
    // Offline, a refetch (a poll, a Retry) waits instead of failing: react-query does not start it.
    void refetch();
    await screen.findByText('rows paused');
    expect(server.counts.pipe).toBe(pipeRequests);
  } finally {
    window.dispatchEvent(new Event('online'));
  }
  await screen.findByText('rows idle');
  expect(server.counts.pipe).toBe(pipeRequests + 1);
  expect(seen.map((s) => s.error).filter(Boolean)).toEqual([]);
  unmount();
});
