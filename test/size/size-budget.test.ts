import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  bundleSize,
  clientEntryFixture,
  dashboardFixture,
  engineFixture,
  reactExternal,
  readOnlyFixture,
  repoRoot,
  sizeBudgets,
} from '../../bench/lib/bundle';

// Bytes are deterministic for a given source and esbuild version, so unlike timings they can be a test. Each budget is
// what a user pays for what they import: a read-only dashboard does not ship the event queue, an app that appends does.
// Each budget is the measured size plus less than 64 B, so it can only shrink. History: 5,632 / 7,168 B in the house
// issue; 6,656 / 9,728 B after three required features (query keys that carry the token's principal, unsent events
// surviving page close, the request observer); 7,040 / 10,240 / 8,448 B after the healing of failed queries from every
// transient failure (400 B read-only), the page lifecycle manager (169 B) and the dashboard context read (32 B), when
// the three measured 7,003 / 10,158 / 8,436 B. Then the core was trimmed with no behaviour removed (shorter error
// texts, one path for refused API answers, a principal hash without cyrb53's final mix...: see the commits of
// 2026-12-04) to 6,674 / 9,694 / 8,010 B, hence 6,720 / 9,728 / 8,064 B. A second pass on 2026-12-05 (the token source
// computes its refresh and stale times once, the event queue's lanes are plain records its functions share, one retry
// decision in the client, one filter in healing) took them to 6,430 / 9,276 / 7,647 B, hence 6,464 / 9,312 / 7,680 B.
// NOT reached: the targets of issue 17, 6,144 B (read-only), 8,192 B (with useAppend) and 7,168 B
// (createTinybirdClient alone); what is left is required behaviour (see the README's Performance section).
const budgets = [
  {
    what: 'TinybirdProvider + useEndpoint (a read-only dashboard)',
    contents: readOnlyFixture,
    gzip: sizeBudgets.readOnly,
  },
  { what: 'TinybirdProvider + useEndpoint + useAppend', contents: clientEntryFixture, gzip: sizeBudgets.client },
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

it(`createTinybirdClient alone (react-query and React not needed) stays within ${sizeBudgets.engine} B gzip`, async () => {
  const size = await bundleSize({ contents: engineFixture, external: [...reactExternal, '@tanstack/react-query'] });
  expect(size.gzip, `${size.minified} B minified, ${size.gzip} B gzip`).toBeLessThanOrEqual(sizeBudgets.engine);
  // The engine alone carries nothing of React or react-query.
  expect(size.code).not.toMatch(/from\s*["'](react|@tanstack\/react-query)["']/);
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

it('a production build of a page that renders <TinybirdDevtools /> carries none of the panel, unless it imports the panel on purpose', async () => {
  const external = [...reactExternal, '@tanstack/react-query'];
  const page = (name: string) => `
    import { TinybirdProvider } from 'react-tinybird';
    import { ${name} } from 'react-tinybird/devtools';
    export const App = () => <TinybirdProvider tokenUrl="/t"><${name} /></TinybirdProvider>;`;
  const plain = await bundleSize({ contents: page('TinybirdDevtools'), external });
  for (const text of ['rtbd-', 'Refresh now', 'Tinybird devtools']) expect(plain.code).not.toContain(text);
  const forced = await bundleSize({ contents: page('TinybirdDevtoolsPanel'), external });
  for (const text of ['rtbd-', 'Refresh now', 'Tinybird devtools']) expect(forced.code).toContain(text);
});
