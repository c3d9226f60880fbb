// Storybook's dev server loads this file (it looks for middleware.js/.mjs/.cjs only, not .ts) and passes its app.
// The route itself is TypeScript shared with the story tests, so load it through tsx.
import { tsImport } from 'tsx/esm/api';

const { TOKEN_ROUTE, targetFromEnv, tokenRouteMiddleware } = await tsImport('./token-route.ts', import.meta.url);

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
