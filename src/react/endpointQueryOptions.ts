import { queryOptions } from '@tanstack/react-query';
import type { QueryResult, TinybirdClient } from '../core/client';
import type { TinybirdError } from '../core/errors';
import type { Params } from '../core/params';
import { nameOf } from '../lib/sdk-types';
import type { EndpointDefinitionLike, EndpointParams, EndpointRow } from '../lib/sdk-types';

/**
 * A pipe by name, or an @tinybirdco/sdk endpoint definition (which types params and rows).
 *
 * @example
 * ```ts
 * const pipe: PipeRef = 'top_airlines'; // or an @tinybirdco/sdk defineEndpoint(...) result
 * ```
 */
export type PipeRef = string | EndpointDefinitionLike;

/**
 * react-query options (key + fetcher) for a pipe, TanStack `queryOptions` style: prefetch on the server, read with
 * `useEndpoint` in the browser, or pass to `useQuery`/`ensureQueryData`. Data is the whole Tinybird result
 * (`data`, `meta`, `statistics`...). Both sides must agree on `baseUrl` (set it on both, or on neither) for keys to match.
 *
 * @example
 * ```ts
 * const client = createTinybirdClient({ token: await createTinybirdJWT({...}) });
 * await queryClient.prefetchQuery(endpointQueryOptions(client, 'top_airlines', { limit: 10 }));
 * // later, in the browser: useEndpoint('top_airlines', { limit: 10 }) renders the prefetched rows at once
 * ```
 */
export function endpointQueryOptions<Row = Record<string, unknown>, P extends PipeRef = string>(
  client: TinybirdClient,
  pipe: P,
  params?: EndpointParams<P>,
) {
  const name = nameOf(pipe);
  const encodable = params as Params | undefined;
  return queryOptions<QueryResult<EndpointRow<P, Row>>, TinybirdError>({
    // The API host, pipe and params: never the token, which changes on every refresh and must stay out of caches.
    queryKey: ['tinybird', client.cacheKey, 'pipe', name, encodable ?? {}] as const,
    queryFn: ({ signal }) => client.query<EndpointRow<P, Row>>(name, encodable, { signal }),
  });
}
