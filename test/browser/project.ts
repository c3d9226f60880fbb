// The `browser` vitest project: every story in stories/ runs as a test in real Chromium (Debian's /usr/bin/chromium
// driven by playwright-core; never a downloaded browser), with the demo token route mounted same-origin at
// /api/tinybird-token, as the Storybook dev server does. The stories read their own data server (frozen-data.ts:
// fixed seed, frozen clock, no stream), and each is compared with its reference screenshot in docs/screenshots/
// (setup.ts); `npm run screenshots` rewrites them.
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import type { TokenTarget, tokenRouteMiddleware } from '../../.storybook/token-route';

/** token-route.ts's TOKEN_ROUTE: the route module itself is loaded by the test server, not by the config (see below). */
const TOKEN_ROUTE = '/api/tinybird-token';
const TOKEN_ROUTE_MODULE = fileURLToPath(new URL('../../.storybook/token-route.ts', import.meta.url));

// test/support/chromium.ts's flags, written out here: this file is part of the vitest config, whose loader warns about
// every module it has to bundle (test/tooling/config-warnings.test.ts keeps that quiet).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Provided {
  storyData?: { url: string; adminToken: string };
}

export function browserProject(): TestProjectInlineConfiguration {
  // The local server's URL is known only once globalSetup has run: read it per token request.
  let provided: () => Provided = () => ({});
  const target = (): TokenTarget | undefined => {
    const tb = provided().storyData;
    return tb ? { baseUrl: tb.url, signingKey: tb.adminToken } : undefined;
  };
  return {
    extends: true,
    plugins: [
      storybookTest({ configDir: fileURLToPath(new URL('../../.storybook', import.meta.url)) }),
      {
        name: 'react-tinybird:token-route',
        configureVitest({ project }) {
          provided = () => project.getProvidedContext() as Provided;
        },
        // Loaded on the first token request through Vite, so loading the config does not bundle the server entry
        // (whose extensionless imports Vite's config loader warns about, hundreds of lines before the first result).
        configureServer(server) {
          let route: Promise<ReturnType<typeof tokenRouteMiddleware>> | undefined;
          server.middlewares.use(TOKEN_ROUTE, (req, res, next) => {
            route ??= server
              .ssrLoadModule(TOKEN_ROUTE_MODULE)
              .then((m) => (m as { tokenRouteMiddleware: typeof tokenRouteMiddleware }).tokenRouteMiddleware(target));
            route.then((handle) => handle(req, res, next), next);
          });
        },
      },
    ],
    test: {
      name: 'browser',
      globalSetup: ['test/browser/frozen-data.ts'],
      setupFiles: ['test/browser/setup.ts'],
      // Stories talk to a real server and recharts animates: give them time, but keep one browser (2-core machines).
      testTimeout: 30_000,
      fileParallelism: false,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        expect: {
          toMatchScreenshot: {
            comparatorName: 'pixelmatch',
            // Anti-aliasing differs a little between Chromium builds; a changed label or bar moves far more pixels.
            comparatorOptions: { threshold: 0.2, allowedMismatchedPixelRatio: 0.0005 },
            resolveScreenshotPath: ({ arg, ext, root }) => `${root}/docs/screenshots/${arg}${ext}`,
            resolveDiffPath: ({ arg, ext, root }) => `${root}/screenshots/diff/${arg}${ext}`,
          },
        },
        provider: playwright({
          launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
          // Charts honour prefers-reduced-motion and skip recharts' entry animation: shapes are final when a play
          // function counts them and when the screenshot is taken.
          contextOptions: { reducedMotion: 'reduce' },
        }),
        instances: [{ browser: 'chromium', viewport: { width: 900, height: 700 } }],
      },
    },
  };
}
