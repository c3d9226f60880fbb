import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// The main config with React and every React-importing package resolved from the React 18 scratch install
// (scripts/test-react18.sh). Aliases match a name and its subpaths: 'react' covers 'react/jsx-runtime'.
const dir = resolve(process.env['REACT18_DIR'] ?? '.cache/react18', 'node_modules');
const packages = [
  'react',
  'react-dom',
  'react-is',
  '@tanstack/react-query',
  '@testing-library/react',
  '@testing-library/dom',
  'recharts',
];

export default mergeConfig(
  base,
  defineConfig({
    resolve: { alias: packages.map((name) => ({ find: name, replacement: resolve(dir, name) })) },
  }),
);
