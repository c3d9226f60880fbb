import { sleep } from './sleep';

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

/**
 * The one retry loop (TanStack's retryer): runs `run` until it succeeds, `delay(error, attempt)` answers undefined
 * (give up: the error is thrown), or `signal` aborts (ABORTED, also while waiting). What is worth another attempt, and
 * after how long (backoff, Retry-After), is the caller's policy; attempts, waiting and aborting are this loop's.
 */
export async function retry<T>(
  run: () => Promise<T>,
  delay: (error: unknown, attempt: number) => number | undefined,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const wait = signal?.aborted ? undefined : delay(error, attempt);
      if (wait === undefined) throw error;
      await sleep(wait, signal);
    }
  }
}

/**
 * A cooldown that grows with each failure in a row (backoff with jitter, from `base` up to `cap`): until `until()`,
 * callers answer with the last failure instead of trying again. `reset()` after a success.
 */
export function cooldown(base: number, cap: number) {
  let failures = 0;
  let until = 0;
  return {
    until: () => until,
    /** Failures in a row so far. */
    failures: () => failures,
    fail: () => (until = Date.now() + backoffDelay(failures++, base, cap)),
    reset() {
      failures = until = 0;
    },
  };
}
