import { defineConfig } from 'tsup';

// One config per runtime. Never set `treeshake: true`: it runs rollup, which strips the 'use client' directive.
const shared = {
  format: ['esm', 'cjs'] as Array<'esm' | 'cjs'>,
  dts: true,
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  outDir: 'dist',
};

export default defineConfig([
  {
    ...shared,
    // Client entries. Charts and devtools import hooks through the package name so the provider's context exists once.
    entry: { index: 'src/index.ts', 'charts/index': 'src/charts/index.ts', 'devtools/index': 'src/devtools/index.ts' },
    external: ['react-tinybird'],
    clean: true,
  },
  {
    ...shared,
    entry: {
      'server/index': 'src/server/index.ts',
      'server/browser': 'src/server/browser.ts',
      'local/index': 'src/local/index.ts',
    },
    platform: 'node',
    // 'react-tinybird' for types only: the server's grants read the client entry's `Register`, one interface for both.
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
