import { getRequestListener } from '@hono/node-server';
import { createDemoTokenHandler } from '../../examples/demo-token-route';
import { listen } from './http';
import type { LocalTinybird } from './section';

export interface TokenRoute {
  /** e.g. http://127.0.0.1:1234/api/tinybird-token?ttl=5 */
  tokenUrl: string;
  /** Token requests answered so far. */
  requests(): number;
  /** While down, the route answers every request 503 (an auth backend outage); requests are still counted. */
  setDown(down: boolean): void;
  /** Signs one token the way the route does (what a server action like the seed guide's generateJWT returns). */
  generateJWT(): Promise<string>;
  close(): Promise<void>;
}

/** The demo project's token route (createTokenHandler) on its own loopback port, counting what it serves. */
export async function startTokenRoute(local: LocalTinybird, ttlSeconds: number): Promise<TokenRoute> {
  const handler = createDemoTokenHandler({ signingKey: local.adminToken, baseUrl: local.url });
  let count = 0;
  let down = false;
  const server = await listen(
    getRequestListener((request) => {
      count += 1;
      return down ? Response.json({ error: 'token service down' }, { status: 503 }) : handler(request);
    }),
  );
  const tokenUrl = `${server.url}/api/tinybird-token?ttl=${ttlSeconds}`;
  return {
    tokenUrl,
    requests: () => count,
    setDown: (value) => void (down = value),
    async generateJWT() {
      const response = await fetch(tokenUrl, { method: 'POST' });
      if (!response.ok) throw new Error(`token route answered ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
    close: server.close,
  };
}
