// The charts entry's own weight: what an app adds on top of recharts and react-tinybird. Budget with headroom; the
// test prints the figure so the README number can be checked against it.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const BUDGET_GZIP_BYTES = 12 * 1024;

it(`react-tinybird/charts stays under ${BUDGET_GZIP_BYTES / 1024} KB min+gzip (react, recharts, react-tinybird external)`, async () => {
  const result = await build({
    entryPoints: ['src/charts/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external: ['react', 'react-dom', 'react/jsx-runtime', 'recharts', 'react-tinybird'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  console.log(`charts entry: ${(code.length / 1024).toFixed(1)} KB min, ${(gzip / 1024).toFixed(1)} KB min+gzip`);
  // Nothing of the engine may be copied in: hooks come from 'react-tinybird' (one context, one client).
  expect(new TextDecoder().decode(code)).toContain('from"react-tinybird"');
  expect(gzip).toBeLessThan(BUDGET_GZIP_BYTES);
});
