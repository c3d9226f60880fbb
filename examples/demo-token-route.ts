// The token route of the demo project (examples/tinybird): what the playground's Storybook middleware and the test
// setup mount. It is also the shape of a real route: authorize the caller, grant only what the page needs.
// Imported relatively (not as 'react-tinybird/server') so it runs from the sources under any TypeScript loader.
import { createTokenHandler } from '../src/server/index';
import type { TinybirdScope } from '../src/server/index';

/** Options of {@link createDemoTokenHandler}. */
export interface DemoTokenHandlerOptions {
  /** The admin token of the (local) workspace that serves the demo project. */
  signingKey: string;
  /** Returned to clients so they call this server, e.g. the local server's URL. */
  baseUrl: string;
  /** Default lifetime when the request has no `?ttl=`. Default '10m'. */
  expiresIn?: number | string;
}

/** The demo project's endpoints. */
export const DEMO_PIPES = ['top_airlines', 'bookings_per_hour', 'user_bookings', 'kpis'] as const;

/** Bounds of `?ttl=` (seconds): short enough to watch a refresh, never a long-lived token. */
export const DEMO_TTL_MIN = 5;
export const DEMO_TTL_MAX = 3600;

/**
 * A token handler for the demo: anyone may ask (it is a demo), and each token reads the demo pipes, reads and
 * appends to `events`. Query string:
 * - `?user=<id>` pins `fixed_params: { user_id: <id> }` on `user_bookings` and filters SQL reads of `events` to
 *   `user_id = '<id>'` (the multi-tenant story);
 * - `?ttl=<seconds>` sets a short lifetime, clamped to 5..3600 s (the token-expiry story).
 *
 * @example
 * ```ts
 * const handler = createDemoTokenHandler({ signingKey: adminToken, baseUrl: 'http://127.0.0.1:7181' });
 * const res = await handler(new Request('http://localhost/api/tinybird-token?user=u_42&ttl=30'));
 * const { token, expiresAt, baseUrl } = await res.json();
 * ```
 */
export function createDemoTokenHandler(options: DemoTokenHandlerOptions): (request: Request) => Promise<Response> {
  return createTokenHandler({
    signingKey: options.signingKey,
    baseUrl: options.baseUrl,
    ...(options.expiresIn !== undefined && { expiresIn: options.expiresIn }),
    authorize(request) {
      const query = new URL(request.url).searchParams;
      const user = query.get('user') ?? undefined;
      const ttl = query.get('ttl') ?? undefined;
      if (user !== undefined && !/^[\w.@-]{1,64}$/.test(user)) {
        return badRequest('`user` must be 1-64 letters, digits or _ . @ -');
      }
      if (ttl !== undefined && !/^\d+$/.test(ttl)) return badRequest('`ttl` must be a whole number of seconds');

      const scopes: TinybirdScope[] = DEMO_PIPES.map((resource) =>
        resource === 'user_bookings' && user !== undefined
          ? { type: 'PIPES:READ', resource, fixed_params: { user_id: user } }
          : { type: 'PIPES:READ', resource },
      );
      // With a user, SQL reads of `events` are pinned to that user's rows too (the regex above keeps quotes out).
      scopes.push(
        user !== undefined
          ? { type: 'DATASOURCES:READ', resource: 'events', filter: `user_id = '${user}'` }
          : { type: 'DATASOURCES:READ', resource: 'events' },
        { type: 'DATASOURCES:APPEND', resource: 'events' },
      );
      return {
        name: user !== undefined ? `demo_user_${user}` : 'demo',
        scopes,
        ...(ttl !== undefined && { expiresIn: Math.min(DEMO_TTL_MAX, Math.max(DEMO_TTL_MIN, Number(ttl))) }),
      };
    },
  });
}

function badRequest(message: string): Response {
  return new Response(JSON.stringify({ error: message }), {
    status: 400,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
