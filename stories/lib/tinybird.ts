// How stories reach Tinybird. Dev server and story tests: the token route mounted same-origin at /api/tinybird-token.
// A static build has no server: build it with STORYBOOK_TINYBIRD_TOKEN_URL (a token route that allows CORS) or with
// STORYBOOK_TINYBIRD_TOKEN + STORYBOOK_TINYBIRD_BASE_URL (a read token, e.g. from `npx react-tinybird token`).
import type { ParamsAndOptions, PipeName, RegisteredParams, RegisteredRow } from 'react-tinybird';

const env = import.meta.env as Record<string, string | undefined>;
const ROUTE = env.STORYBOOK_TINYBIRD_TOKEN_URL || '/api/tinybird-token';
const STATIC_TOKEN = env.STORYBOOK_TINYBIRD_TOKEN || undefined;
const STATIC_BASE_URL = env.STORYBOOK_TINYBIRD_BASE_URL || undefined;

/** Token route URL with demo options: `user` pins user_id, `ttl` sets the lifetime in seconds. */
export function tokenUrl(query: Record<string, string | number> = {}): string {
  const url = new URL(ROUTE, window.location.href);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  return /^https?:/.test(ROUTE) ? url.href : `${url.pathname}${url.search}`;
}

/** Provider props for a story: the token route, or the fixed token of a static build. */
export function auth(
  query?: Record<string, string | number>,
): { tokenUrl: string } | { token: string; baseUrl: string } {
  if (STATIC_TOKEN && STATIC_BASE_URL && !query) return { token: STATIC_TOKEN, baseUrl: STATIC_BASE_URL };
  return { tokenUrl: tokenUrl(query) };
}

async function grant(query?: Record<string, string | number>): Promise<{ token: string; baseUrl: string }> {
  if (STATIC_TOKEN && STATIC_BASE_URL && !query) return { token: STATIC_TOKEN, baseUrl: STATIC_BASE_URL };
  const res = await fetch(tokenUrl(query), { cache: 'no-store' });
  if (!res.ok) throw new Error(`token route answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { token: string; baseUrl: string };
}

/**
 * The endpoint's rows fetched independently of the library: what play functions compare the drawing against, so a
 * test knows how many bars to expect whatever the seed produced.
 */
export async function endpointRows<P extends PipeName>(
  pipe: P,
  // The pipe's params, typed from the generated file (required ones required); then the token route's query.
  ...[params, query]: ParamsAndOptions<RegisteredParams<P>, Record<string, string | number>>
): Promise<Array<RegisteredRow<P, Record<string, unknown>>>> {
  const { token, baseUrl } = await grant(query);
  const url = new URL(`/v0/pipes/${pipe}.json`, baseUrl);
  for (const [k, v] of Object.entries(params ?? {}))
    if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${pipe} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: Array<RegisteredRow<P, Record<string, unknown>>> }).data;
}

// The demo token route pins user_bookings's user_id when a story asks for a user (`tokenUrl({ user })`, see
// examples/demo-token-route.ts): the token sends it, so a story may leave it out.
declare module 'react-tinybird' {
  interface Register {
    pinned: { user_bookings: 'user_id' };
  }
}
