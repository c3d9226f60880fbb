import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  // Stories import the package by name, as an app does; point the names at the sources (one copy of each context).
  viteFinal: async (vite) => ({
    ...vite,
    resolve: {
      ...vite.resolve,
      alias: [
        ...(Array.isArray(vite.resolve?.alias)
          ? vite.resolve.alias
          : Object.entries(vite.resolve?.alias ?? {}).map(([find, replacement]) => ({ find, replacement }))),
        { find: /^react-tinybird\/charts$/, replacement: src('charts/index.ts') },
        { find: /^react-tinybird\/devtools$/, replacement: src('devtools/index.ts') },
        { find: /^react-tinybird\/dashboard$/, replacement: src('dashboard/index.ts') },
        { find: /^react-tinybird$/, replacement: src('index.ts') },
      ],
    },
  }),
};

export default config;
