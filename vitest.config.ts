import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// With its extension: Vite's config loader warns about every extensionless import it bundles.
import { browserProject } from './test/browser/project.js';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// The package imports itself by name (charts -> 'react-tinybird'), as users do; tests resolve that to the sources.
const alias = {
  'react-tinybird/server': src('server/index.ts'),
  'react-tinybird/charts': src('charts/index.ts'),
  'react-tinybird/devtools': src('devtools/index.ts'),
  'react-tinybird/dashboard': src('dashboard/index.ts'),
  'react-tinybird/local': src('local/index.ts'),
  'react-tinybird': src('index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // One chDB-backed local server for the whole run (test/setup/local-server.ts), reached over HTTP via inject('tinybird').
    globalSetup: ['test/setup/local-server.ts'],
    // 2-core machines: keep parallelism modest.
    maxWorkers: 2,
    // Tests wait on conditions, never on time; this only bounds a test that hangs. Shared 2-core machines are slow and
    // noisy, and a jsdom chart render with a real server round trip can take seconds there.
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/**/*.test.tsx'],
          exclude: ['test/browser/**'],
          setupFiles: ['test/setup/dom.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/**/*.test-d.ts'],
            exclude: ['test/types/registered/**', 'test/types/pinned/**'],
            tsconfig: 'tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          // The same with the demo project's generated types registered: a program of its own (they apply to all of it).
          name: 'types-registered',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/registered/**/*.test-d.{ts,tsx}'],
            tsconfig: 'test/types/registered/tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          // The same with the app's pins declared too (a param its tokens pin may be left out): another program.
          name: 'types-pinned',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/pinned/**/*.test-d.{ts,tsx}'],
            tsconfig: 'test/types/pinned/tsconfig.json',
          },
        },
      },
      // Stories as tests in real Chromium (stories/, see test/browser/project.ts).
      browserProject(),
    ],
  },
});
