import { TinybirdError } from '../errors';

export function abortError(signal: AbortSignal): TinybirdError {
  return new TinybirdError('ABORTED', 'Aborted', { cause: signal.reason });
}

/** Resolves like `promise`, but rejects with ABORTED as soon as the signal fires (also if it already has). */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `ms`; an aborted signal rejects with ABORTED at once and clears the timer (a cancelled query must not sleep on). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() =>
    clearTimeout(timer),
  );
}
