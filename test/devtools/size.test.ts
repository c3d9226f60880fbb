// The devtools entry's own weight, and proof that it stays out of the main entry: an app pays for it only where it
// imports 'react-tinybird/devtools'.
import { expect, it } from 'vitest';
import { bundleSize, clientEntryFixture, reactExternal } from '../../bench/lib/bundle';

const BUDGET_GZIP_BYTES = 6 * 1024;
const external = [...reactExternal, '@tanstack/react-query'];

it(`react-tinybird/devtools stays under ${BUDGET_GZIP_BYTES / 1024} KB min+gzip and reaches the engine only by name`, async () => {
  const size = await bundleSize({
    contents: `export * from 'react-tinybird/devtools';`,
    external: [...external, 'react-tinybird'],
  });
  console.log(`devtools entry: ${size.minified} B min, ${size.gzip} B min+gzip`);
  // Hooks come from 'react-tinybird': one context, so the panel sees the app's provider.
  expect(size.code).toContain('from"react-tinybird"');
  expect(size.gzip).toBeLessThan(BUDGET_GZIP_BYTES);
});

it('nothing of the panel is in the main entry', async () => {
  for (const contents of [clientEntryFixture, `export * from 'react-tinybird';`]) {
    const { code } = await bundleSize({ contents, external });
    expect(code).not.toMatch(/rtbd-|Tinybird devtools/);
  }
});
