// Storybook's dev server loads this file (it looks for middleware.js/.mjs/.cjs only, not .ts) and passes its app.
// The route itself is TypeScript shared with the story tests. It is bundled here with esbuild (packages stay external)
// rather than imported through Storybook's loader, which prints a deprecation warning for each extensionless import
// of the sources it passes through (some 40 of them before "ready").
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const out = fileURLToPath(new URL('../node_modules/.cache/react-tinybird/token-route.mjs', import.meta.url));
await mkdir(fileURLToPath(new URL('.', pathToFileURL(out))), { recursive: true });
await build({
  entryPoints: [fileURLToPath(new URL('./token-route.ts', import.meta.url))],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { TOKEN_ROUTE, targetFromEnv, tokenRouteMiddleware } = await import(`${pathToFileURL(out).href}?t=${Date.now()}`);

/** Mounts the demo token route at /api/tinybird-token (see token-route.ts). */
export default function middleware(app) {
  const target = targetFromEnv();
  if (!target) {
    console.warn(
      `[react-tinybird] ${TOKEN_ROUTE} has no Tinybird to sign for: use \`npm run playground\` or set TINYBIRD_HOST and TINYBIRD_ADMIN_TOKEN.`,
    );
  }
  app.use(
    TOKEN_ROUTE,
    tokenRouteMiddleware(() => target),
  );
}
