import { vi } from 'vitest';

/** Real ms that pass with each 50 ms step of fake time in drive() and driveUntil(). */
const REAL_MS = 1;

/** Whether a promise has settled, read synchronously. */
function watch(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/**
 * With setTimeout/Date faked and a real HTTP server, a promise needs both fake time (backoff sleeps, refresh timers) and
 * real event-loop turns (socket I/O). This alternates the two in small steps until the promise settles, and fails
 * (instead of waiting for the test's timeout) when it has not after `maxSteps`.
 *
 * Each step also lets REAL_MS of real time pass: fake time then runs at most 50 times faster than real time. Without
 * it, a busy machine's slow loopback request saw fake time race ahead (hundreds of fake ms per real ms), the token it
 * carried expire, and its retry meet the same fate: a hang that was the test's, not the code's.
 */
export async function drive<T>(promise: Promise<T>, { step = 50, maxSteps = 4_000 } = {}): Promise<T> {
  const settled = watch(promise);
  for (let i = 0; i < maxSteps && !settled(); i++) {
    await ioTurns(5, REAL_MS);
    if (!settled()) await vi.advanceTimersByTimeAsync(step);
  }
  if (!settled()) {
    throw new Error(
      `drive: the promise did not settle within ${maxSteps} steps of ${step} ms of fake time and real I/O`,
    );
  }
  return promise;
}

/** Lets real socket I/O progress while fake timers stand still: some event-loop turns and at least `realMs` of real time. */
export async function ioTurns(turns = 5, realMs = 0): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < turns || performance.now() - start < realMs; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Waits (in real event-loop turns, fake time frozen) until `check` holds; fails after `maxTurns`. */
export async function until(check: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`until: the condition did not hold within ${maxTurns} event-loop turns: ${String(check)}`);
}

/**
 * Waits for a promise that needs only real I/O, with fake time frozen (so a token cannot age while in flight); fails
 * when it has not settled after `maxMs` of real time. A bound in real time, not in event-loop turns: on a busy machine
 * a loopback request outlasts any fixed number of (fast, empty) turns.
 */
export async function settle<T>(promise: Promise<T>, maxMs = 10_000): Promise<T> {
  const settled = watch(promise);
  const start = performance.now();
  while (!settled() && performance.now() - start < maxMs) await new Promise<void>((resolve) => setImmediate(resolve));
  if (!settled()) throw new Error(`settle: the promise did not settle within ${maxMs} ms of real event-loop turns`);
  return promise;
}

/** Like drive(), until `check` holds; fails when it does not after `maxSteps`. */
export async function driveUntil(check: () => boolean, { step = 50, maxSteps = 4_000 } = {}): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (check()) return;
    await ioTurns(5, REAL_MS);
    if (check()) return;
    await vi.advanceTimersByTimeAsync(step);
  }
  if (check()) return;
  throw new Error(
    `driveUntil: the condition did not hold within ${maxSteps} steps of ${step} ms of fake time and real I/O: ${String(check)}`,
  );
}

/**
 * Fake only what the library schedules with (and the clock): the HTTP stack keeps real setImmediate/queueMicrotask, so
 * real sockets still make progress.
 */
export const FAKE: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'Date'] };
