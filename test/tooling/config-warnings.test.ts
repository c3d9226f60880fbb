// Loading the test config prints nothing: Vite's config loader warns once per extensionless import it bundles, and
// the browser project's token route used to pull the whole server entry into the config (some 250 lines before the
// first test result).
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfigFromFile } from 'vite';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('vitest.config.ts', () => {
  it('loads without a warning', { timeout: 60_000 }, async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => void warnings.push(message);
    logger.warnOnce = (message) => void warnings.push(message);
    const loaded = await loadConfigFromFile(
      { command: 'serve', mode: 'test' },
      'vitest.config.ts',
      root,
      'warn',
      logger,
    );
    expect(loaded?.dependencies.some((d) => d.includes('/src/'))).toBe(false);
    expect(warnings).toEqual([]);
  });
});
