import { expect } from 'vitest';
import { TinybirdError } from '../../src/core/errors';

/** Awaits a promise that must reject with a TinybirdError, and returns that error for assertions on code and message. */
export async function rejection(promise: Promise<unknown>): Promise<TinybirdError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TinybirdError);
  return error as TinybirdError;
}
