import { afterEach, describe, expect, it, vi } from 'vitest';

// The guard is a load-time check, so each case re-evaluates the module with a fresh registry.
afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('react-tinybird/server outside a server', () => {
  it('loads in Node (no window, no document)', async () => {
    vi.resetModules();
    const entry = await import('react-tinybird/server');
    expect(typeof entry.createTinybirdJWT).toBe('function');
  });

  it('throws on load where a DOM exists, saying not to import it from client code', async () => {
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
    vi.resetModules();
    await expect(import('react-tinybird/server')).rejects.toThrow(
      /react-tinybird\/server must not be imported from client code/,
    );
  });

  it('still loads in runtimes that define only one of them (a web worker has neither, Deno 1 had window only)', async () => {
    vi.stubGlobal('window', {});
    vi.resetModules();
    await expect(import('react-tinybird/server')).resolves.toHaveProperty('createTokenHandler');
  });

  it('the `browser` build throws on load with the same message', async () => {
    vi.resetModules();
    await expect(import('../../src/server/browser')).rejects.toThrow(
      /must not be imported from client code.*admin token/s,
    );
  });
});
