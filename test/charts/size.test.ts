// The charts entry's own weight: what an app adds on top of recharts and react-tinybird. Budget with headroom; the
// test prints the figure so the README number can be checked against it.
import { expect, it } from 'vitest';
import { bundleSize, reactExternal } from '../../bench/lib/bundle';

// 12 KB until the dashboard work (10,023 B gzip then), which added 3.2 KB: the static SVG that draws charts in the
// first HTML (~990 B), export (~460 B), cross-filtering and dashboard scoping (~250 B), the still-filling last bucket
// and Metric's period comparison.
const BUDGET_GZIP_BYTES = 14 * 1024;

it(`react-tinybird/charts stays under ${BUDGET_GZIP_BYTES / 1024} KB min+gzip (react, recharts, react-tinybird external)`, async () => {
  const size = await bundleSize({
    contents: `export * from 'react-tinybird/charts';`,
    external: [...reactExternal, 'recharts', 'react-tinybird', '@tanstack/react-query'],
  });
  console.log(
    `charts entry: ${(size.minified / 1024).toFixed(1)} KB min, ${(size.gzip / 1024).toFixed(1)} KB min+gzip`,
  );
  // Nothing of the engine may be copied in: hooks come from 'react-tinybird' (one context, one client).
  expect(size.code).toContain('from"react-tinybird"');
  expect(size.gzip).toBeLessThan(BUDGET_GZIP_BYTES);
});
