import type { TinybirdClient } from '../core/client';
import { useTinybirdContext } from './context';

/**
 * The provider's {@link TinybirdClient}, for imperative calls (`query`, `sql`, `append`, `events`, `tokens`).
 * Throws when there is no `<TinybirdProvider>` above.
 *
 * @example
 * ```tsx
 * function ExportButton() {
 *   const client = useTinybird();
 *   return <button onClick={() => client.query('top_airlines', { limit: 1000 }).then(download)}>Export</button>;
 * }
 * ```
 */
export function useTinybird(): TinybirdClient {
  return useTinybirdContext('useTinybird').client;
}
