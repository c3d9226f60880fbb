import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  bundleSize,
  clientEntryFixture,
  dashboardFixture,
  reactExternal,
  readOnlyFixture,
  repoRoot,
} from '../../bench/lib/bundle';

// Bytes are deterministic for a given source and esbuild version, so unlike timings they can be a test. Each budget is
// what a user pays for what they import: a read-only dashboard does not ship the event queue, an app that appends does.
// Each budget is the measured size rounded up to the next 128 B, so it can only shrink. It was 5,632 / 7,168 B before
// three required features landed; what each costs in gzip, measured by swapping it for a do-nothing stand-in:
// - query keys that carry the token's principal (src/core/principal.ts + src/react/healFailedQueries.ts; the cache
//   isolation between users): 467 B read-only, 458 B with useAppend (waitForToken/placeholderFor not counted);
// - unsent events surviving page close (src/core/event-store.ts): 0 B read-only, 464 B with useAppend (plus the
//   event-queue code that drains and writes the store);
// - the devtools' client.onRequest observer (reporting each request; the listener set kept): 127 B read-only, 120 B
//   with useAppend;
// - the hooks' side of a dashboard (src/react/DashboardContext.ts: one context, one read in useEndpoint): 32 B.
const budgets = [
  { what: 'TinybirdProvider + useEndpoint (a read-only dashboard)', contents: readOnlyFixture, gzip: 6_656 },
  { what: 'TinybirdProvider + useEndpoint + useAppend', contents: clientEntryFixture, gzip: 9_728 },
];

it.each(budgets)('$what stays within $gzip B gzip with react-query external', async ({ what, contents, gzip }) => {
  // Never skip: a missing entry must fail here, or the budget silently stops being checked.
  expect(
    existsSync(`${repoRoot}src/index.ts`),
    'src/index.ts (the client entry) does not exist: nothing to measure',
  ).toBe(true);

  // Throws "No matching export" when the entry lacks one of the measured exports.
  const size = await bundleSize({ contents, external: [...reactExternal, '@tanstack/react-query'] });
  expect(size.gzip, `${what}: ${size.minified} B minified, ${size.gzip} B gzip; budget ${gzip} B`).toBeLessThanOrEqual(
    gzip,
  );
});

it('a read-only dashboard does not bundle the event queue', async () => {
  const size = await bundleSize({ contents: readOnlyFixture, external: [...reactExternal, '@tanstack/react-query'] });
  // QUEUE_FULL is thrown by the event queue only: its message text is in the bundle exactly when the queue is.
  expect(size.code).not.toContain('QUEUE_FULL');
  const full = await bundleSize({
    contents: clientEntryFixture,
    external: [...reactExternal, '@tanstack/react-query'],
  });
  expect(full.code).toContain('QUEUE_FULL');
});

it('a page with no dashboard does not bundle the dashboard layer, which stays within its own budget', async () => {
  const external = [...reactExternal, '@tanstack/react-query'];
  const plain = await bundleSize({ contents: readOnlyFixture, external });
  // Texts only the dashboard layer holds: its range presets and its range check.
  expect(plain.code).not.toContain('Last 24 hours');
  expect(plain.code).not.toContain('must start before it ends');
  // What a page with a dashboard adds on top of the client entry (imported by name, so left external here).
  const layer = await bundleSize({ contents: dashboardFixture, external: [...external, 'react-tinybird'] });
  expect(layer.code).toContain('Last 24 hours');
  expect(layer.gzip, `dashboard layer: ${layer.minified} B minified, ${layer.gzip} B gzip`).toBeLessThanOrEqual(3_840);
});
