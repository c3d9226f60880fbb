import type { QueryKey, QueryKeyWithDataTag, UnusedSkipTokenOptions } from '@tanstack/react-query';
import type { QueryResult, TinybirdClient } from './client';
import type { TinybirdError } from './errors';
import type { Params } from './params';
import { tinybirdQueryOptions } from './query-options';
import type { TinybirdQueryOptions } from './query-options';
import { nameOf } from './sdk-types';
import type { EndpointDefinitionLike, EndpointParams, EndpointRow } from './sdk-types';
import type { ParamsAndOptions, PipeName } from './register';

/**
 * A pipe by name (a registered one once generated types are in the program: see `Register`), or an
 * @tinybirdco/sdk endpoint definition (which types params and rows).
 *
 * @example
 * ```ts
 * const pipe: PipeRef = 'top_airlines'; // or an @tinybirdco/sdk defineEndpoint(...) result
 * ```
 */
export type PipeRef = PipeName | EndpointDefinitionLike;

/**
 * react-query options (key + fetcher) for a pipe, TanStack `queryOptions` style: prefetch on the server, read with
 * `useEndpoint` in the browser, or pass to `useQuery`/`ensureQueryData`. Data is the whole Tinybird result
 * (`data`, `meta`, `statistics`...).
 *
 * The key is `['tinybird', baseUrl ?? tokenUrl ?? 'tinybird', 'pipe', pipe, params, principal]`: the client's
 * `baseUrl` option (else its `tokenUrl`; give the server's client and the browser's provider the same `baseUrl` so
 * their keys match) and the principal of the client's current token, a fingerprint of whose rows it can see (its
 * workspace, scopes, `fixed_params` and `filter`; never the token). Users of one QueryClient never share rows. The
 * client must hold a token: on the server, create it with `token` (or `await client.tokens.getToken()` first).
 * React-free at runtime, so the server entry offers it too (a React Server Component cannot call functions of a
 * 'use client' module).
 *
 * @example
 * ```ts
 * const client = createTinybirdClient({ token: await createTinybirdJWT({...}) });
 * await queryClient.prefetchQuery(endpointQueryOptions(client, 'top_airlines', { limit: 10 }));
 * // later, in the browser: useEndpoint('top_airlines', { limit: 10 }) renders the prefetched rows at once
 * ```
 */
export function endpointQueryOptions<Row = Record<string, unknown>, P extends PipeRef = PipeName>(
  client: TinybirdClient,
  pipe: P,
  // Params must be given when the endpoint requires one (generated types or an SDK definition say so).
  ...[params]: ParamsAndOptions<EndpointParams<P>, never>
): TaggedQueryOptions<QueryResult<EndpointRow<P, Row>>> {
  if (client.tokens.getState().principal === null) {
    throw new TypeError('endpointQueryOptions: the client has no token yet (await client.tokens.getToken())');
  }
  // Tagged with the data type by a cast, as TanStack's queryOptions() does (it is an identity function that only adds
  // types: calling it would make this module import React).
  return pipeQueryOptions<Row, P>(client, pipe, params) as TaggedQueryOptions<QueryResult<EndpointRow<P, Row>>>;
}

/** useEndpoint's options: endpointQueryOptions', and before the first token the ones that wait for it. */
export function pipeQueryOptions<Row, P extends PipeRef>(
  client: TinybirdClient,
  pipe: P,
  params?: EndpointParams<P>,
): TinybirdQueryOptions<QueryResult<EndpointRow<P, Row>>> {
  const name = nameOf(pipe);
  const encodable = (params ?? {}) as Params;
  return tinybirdQueryOptions(client, ['pipe', name, encodable], (principal, signal) =>
    client.query<EndpointRow<P, Row>>(name, encodable, { signal, principal }),
  );
}

/** The options endpointQueryOptions returns: TanStack `queryOptions` typing, the key tagged with the data type. */
type TaggedQueryOptions<Data> = UnusedSkipTokenOptions<Data, TinybirdError, Data, QueryKey> &
  QueryKeyWithDataTag<QueryKey, Data, TinybirdError>;
