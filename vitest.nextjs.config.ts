import { defineConfig } from 'vitest/config';

// The Next.js example's end-to-end test (`npm run test:nextjs`): it builds the app with `next build`, serves it with
// `next start` against a local server, and drives Chromium. Minutes, not seconds: kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['examples/nextjs/test/**/*.test.ts'],
    environment: 'node',
    hookTimeout: 600_000,
    testTimeout: 60_000,
    fileParallelism: false,
    // A click that navigates renders a page on the server: on a busy machine that takes longer than a second.
    expect: { poll: { timeout: 15_000 } },
  },
});
