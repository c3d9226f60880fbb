import { TinybirdClient } from './client';
import type { TinybirdClientOptions } from './client';
import { EventQueue } from './event-queue';

/**
 * Creates the engine without React: for scripts, workers, tests, or code outside the provider. Call `dispose()` when done.
 *
 * @example
 * ```ts
 * import { createTinybirdClient } from 'react-tinybird';
 *
 * const client = createTinybirdClient({ tokenUrl: '/api/tinybird-token' });
 * const { data } = await client.query('top_airlines', { limit: 3 });
 * client.events.append('events', { airline: 'AA', passengers: 1 });
 * await client.events.flush();
 * client.dispose();
 * ```
 */
export function createTinybirdClient(options: TinybirdClientOptions): TinybirdClient {
  const client = new TinybirdClient(options);
  client.attachEvents(EventQueue);
  return client;
}
