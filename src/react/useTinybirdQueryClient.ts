import type { QueryClient } from '@tanstack/react-query';
import { useTinybirdContext } from './context';

/**
 * The QueryClient the provider's hooks cache in: the `queryClient` prop, else the ambient one, else the provider's own.
 * Keys of its queries start with `['tinybird', client.cacheKey]`.
 *
 * @example
 * ```tsx
 * const queryClient = useTinybirdQueryClient();
 * const { cacheKey } = useTinybird();
 * <button onClick={() => queryClient.invalidateQueries({ queryKey: ['tinybird', cacheKey] })}>Reload all</button>
 * ```
 */
export function useTinybirdQueryClient(): QueryClient {
  return useTinybirdContext('useTinybirdQueryClient').queryClient;
}
