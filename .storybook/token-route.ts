// The demo token route as a connect/polka middleware: mounted at /api/tinybird-token by the Storybook dev server
// (middleware.mjs) and by the story tests' Vite server (vitest.config.ts), so stories always fetch tokens same-origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createDemoTokenHandler } from '../examples/demo-token-route';

export const TOKEN_ROUTE = '/api/tinybird-token';

/** Where tokens are signed for and which key signs them. */
export interface TokenTarget {
  baseUrl: string;
  signingKey: string;
}

type Next = (error?: unknown) => void;

/**
 * `target` is read per request: the story tests learn the local server's URL only after the middleware is mounted.
 * Without a target the route answers 503 with what to run, which the stories show as their error state.
 */
export function tokenRouteMiddleware(target: () => TokenTarget | undefined) {
  let current: { key: string; listener: ReturnType<typeof getRequestListener> } | undefined;
  return (req: IncomingMessage, res: ServerResponse, next?: Next): void => {
    const t = target();
    if (!t) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(
        JSON.stringify({
          error:
            'No Tinybird to sign tokens for: run `npm run playground`, or set TINYBIRD_HOST and TINYBIRD_ADMIN_TOKEN.',
        }),
      );
      return;
    }
    const key = `${t.baseUrl}\u0000${t.signingKey}`;
    if (current?.key !== key) {
      const handler = createDemoTokenHandler({ signingKey: t.signingKey, baseUrl: t.baseUrl });
      current = { key, listener: getRequestListener((request) => handler(request)) };
    }
    current.listener(req, res).catch((error: unknown) => (next ? next(error) : res.destroy(error as Error)));
  };
}

/** The target from the environment: set by `npm run playground`, or by you for a real workspace. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TokenTarget | undefined {
  const baseUrl = env.TINYBIRD_HOST;
  const signingKey = env.TINYBIRD_ADMIN_TOKEN;
  if (!baseUrl || !signingKey) return undefined;
  return { baseUrl: baseUrl.startsWith('http') ? baseUrl : `https://${baseUrl}`, signingKey };
}
