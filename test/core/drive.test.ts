// The test helpers that drive fake time and real I/O must fail, with a message, when what they wait for never comes:
// a helper that hangs until the test's timeout hides which wait was wrong.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { FAKE, drive, driveUntil, settle, until } from '../support/drive';

beforeEach(() => void vi.useFakeTimers(FAKE));
afterEach(() => void vi.useRealTimers());

const never = new Promise<never>(() => {});

it('drive fails when the promise never settles', async () => {
  await expect(drive(never, { step: 10, maxSteps: 5 })).rejects.toThrow(
    /drive: the promise did not settle within 5 steps/,
  );
});

it('drive resolves with the promise once fake time lets it settle', async () => {
  const later = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 200));
  await expect(drive(later, { step: 50, maxSteps: 10 })).resolves.toBe('done');
});

it('driveUntil fails when the condition never holds, and returns once it does', async () => {
  await expect(driveUntil(() => false, { step: 10, maxSteps: 5 })).rejects.toThrow(/driveUntil: the condition did not/);
  let ready = false;
  setTimeout(() => (ready = true), 100);
  await driveUntil(() => ready, { step: 50, maxSteps: 10 });
  expect(ready).toBe(true);
});

it('settle and until fail when nothing happens', async () => {
  await expect(settle(never, 50)).rejects.toThrow(
    /settle: the promise did not settle within 50 ms of real event-loop turns/,
  );
  await expect(until(() => false, 50)).rejects.toThrow(/until: the condition did not hold within 50 event-loop turns/);
});
