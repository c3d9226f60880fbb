import { expect, it } from 'vitest';

// Runs in the jsdom project: a real (emulated) DOM, as in a client bundle's test run.
it('importing react-tinybird/server in a DOM environment throws', async () => {
  expect(typeof document.createElement).toBe('function');
  await expect(import('react-tinybird/server')).rejects.toThrow(/must not be imported from client code/);
});
