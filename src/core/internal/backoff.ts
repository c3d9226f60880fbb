/**
 * Capped exponential backoff with jitter on the upper half: attempt 0 waits base/2..base, then twice that, and so on, so
 * that many clients hit by the same 429 or outage do not retry in lockstep.
 */
export function backoffDelay(attempt: number, base = 500, cap = 10_000): number {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round((ceiling * (1 + Math.random())) / 2);
}

/**
 * Reads Retry-After (seconds or an HTTP date) when the browser lets us see it; cross-origin it usually cannot, so the caller
 * falls back to its own backoff. Capped so a hostile or buggy header cannot park a request for hours.
 */
export function retryAfterMs(headers: Headers, cap = 60_000): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const ms = Number.isNaN(+value) ? Date.parse(value) - Date.now() : +value * 1000;
  return Number.isNaN(ms) ? undefined : Math.min(cap, Math.max(0, ms));
}
