import { defineConfig } from 'tsup';

// One config per runtime. Never set `treeshake: true`: it runs rollup, which strips the 'use client' directive. No
// `clean: true` either: the configs build side by side, and one config's clean can delete what another has just
// written (dist/local/index.d.ts went missing that way); `npm run build` empties dist/ once before tsup starts.
const shared = {
  format: ['esm', 'cjs'] as Array<'esm' | 'cjs'>,
  dts: true,
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  outDir: 'dist',
};

const client = {
  index: 'src/index.ts',
  'charts/index': 'src/charts/index.ts',
  'devtools/index': 'src/devtools/index.ts',
  'dashboard/index': 'src/dashboard/index.ts',
};
const server = { 'server/index': 'src/server/index.ts', 'server/browser': 'src/server/browser.ts' };

export default defineConfig([
  {
    ...shared,
    // ESM: the client entries and the server entry built together share one copy of core/ at run time (a chunk), so a
    // TinybirdError thrown by one is an instance of the other's class. Charts and devtools import hooks through the
    // package name so the provider's context exists once.
    format: ['esm'],
    entry: { ...client, ...server },
    external: ['react-tinybird'],
  },
  // CJS: tsup's CJS code splitting drops the 'use client' directive, so each CJS entry keeps its own copy of core (the
  // error class's brand check covers that case, and an app that mixes ESM and CJS).
  { ...shared, format: ['cjs'], entry: client, external: ['react-tinybird'] },
  // 'react-tinybird' for types only: the server's grants read the client entry's `Register`, one interface for both.
  { ...shared, format: ['cjs'], entry: server, external: ['react-tinybird'] },
  {
    ...shared,
    entry: { 'local/index': 'src/local/index.ts' },
    platform: 'node',
    // 'react-tinybird' for types only, as for the server entry (the local server signs grants with its code).
    external: ['chdb', 'react-tinybird'],
  },
  {
    ...shared,
    format: ['esm'],
    dts: false,
    entry: { 'local/cli': 'src/local/cli.ts' },
    platform: 'node',
    external: ['chdb'],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
