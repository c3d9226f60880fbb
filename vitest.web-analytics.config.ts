import { defineConfig } from 'vitest/config';

// The web analytics example's end-to-end test (`npm run test:web-analytics`): `next build`, `next start` against a
// local server serving the web analytics starter kit's project, and Chromium. Minutes: kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['examples/web-analytics/test/**/*.test.ts'],
    environment: 'node',
    hookTimeout: 600_000,
    testTimeout: 90_000,
    fileParallelism: false,
    // A click that navigates renders a page on the server: on a busy machine that takes longer than a second.
    expect: { poll: { timeout: 15_000 } },
  },
});
