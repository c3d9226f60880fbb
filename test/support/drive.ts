import { vi } from 'vitest';

/**
 * With setTimeout/Date faked and a real HTTP server, a promise needs both fake time (backoff sleeps, refresh timers) and
 * real event-loop turns (socket I/O). This alternates the two in small steps until the promise settles.
 */
export async function drive<T>(promise: Promise<T>, { step = 50, maxSteps = 4_000 } = {}): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < maxSteps && !settled; i++) {
    await ioTurns();
    if (!settled) await vi.advanceTimersByTimeAsync(step);
  }
  return promise;
}

/** Lets real socket I/O progress while fake timers stand still. */
export async function ioTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits (in real event-loop turns, fake time frozen) until `check` holds. */
export async function until(check: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

/** Waits for a promise that needs only real I/O, with fake time frozen (so a token cannot age while in flight). */
export async function settle<T>(promise: Promise<T>, maxTurns = 20_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < maxTurns && !settled; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  return promise;
}

/** Like drive(), until `check` holds. */
export async function driveUntil(check: () => boolean, options?: { step?: number; maxSteps?: number }): Promise<void> {
  let done = false;
  const poll = (async () => {
    while (!check()) await new Promise<void>((resolve) => setImmediate(resolve));
    done = true;
  })();
  await drive(poll, options);
  if (!done) throw new Error('condition not reached');
}

/**
 * Fake only what the library schedules with (and the clock): the HTTP stack keeps real setImmediate/queueMicrotask, so
 * real sockets still make progress.
 */
export const FAKE: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'Date'] };
