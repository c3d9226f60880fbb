// endpointQueryOptions for the server entry: the client entry's function (React-free), typed through the package
// name so that it reads the same `Register` the generated types augment, not a copy of it in the server's .d.ts.
import type { endpointQueryOptions as Typed } from 'react-tinybird';
import { endpointQueryOptions as untyped } from '../core/endpoint-query-options';

/**
 * react-query options (key + fetcher) for a pipe, to prefetch on the server what `useEndpoint` reads in the browser.
 * The client entry's `endpointQueryOptions`: the same query keys, and the same generated types.
 *
 * @example
 * ```ts
 * await queryClient.prefetchQuery(endpointQueryOptions(client, 'top_airlines', { limit: 10 }));
 * ```
 */
export const endpointQueryOptions: typeof Typed = untyped;
