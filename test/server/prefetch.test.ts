// The server entry queries too, so a React Server Component can prefetch (it cannot call the 'use client' entry's
// functions): a token signed here, a client holding it, endpointQueryOptions, dehydrate. The browser half (hydrating
// these rows with no request) is test/react/ssr-prefetch.test.tsx.
import { QueryClient, dehydrate } from '@tanstack/react-query';
import { expect, inject, it } from 'vitest';
import { createTinybirdClient, createTinybirdJWT, endpointQueryOptions } from 'react-tinybird/server';
import { tokenPrincipal } from '../../src/core/principal';

const tb = inject('tinybird');

it('prefetches a pipe with a token signed on the server, under the key useEndpoint reads', async () => {
  const token = await createTinybirdJWT({
    signingKey: tb.adminToken,
    workspaceId: tb.workspaceId,
    name: 'ssr',
    scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
    expiresIn: '10m',
  });
  const client = createTinybirdClient({ token, baseUrl: tb.url });
  const queryClient = new QueryClient();
  try {
    await queryClient.prefetchQuery(endpointQueryOptions(client, 'top_airlines', { limit: 3 }));
  } finally {
    client.dispose();
  }
  const [query] = dehydrate(queryClient).queries;
  // The same key the browser builds for a token of the same principal (workspace and scopes): see principal.test.ts.
  expect(query?.queryKey).toEqual(['tinybird', tb.url, 'pipe', 'top_airlines', { limit: 3 }, tokenPrincipal(token)]);
  expect(query?.state.status).toBe('success');
  expect((query?.state.data as { data: unknown[] }).data).toHaveLength(3);
  expect(JSON.stringify(query)).not.toContain(token);
});
