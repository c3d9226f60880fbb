import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenHandler, type TokenHandlerOptions, type TokenResponseBody } from 'react-tinybird/server';
import { ADMIN_TOKEN, WORKSPACE_ID, makeAdminToken } from './fixtures';

const grant = { name: 'user_42', scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }] } as const;
const handler = (options: Partial<TokenHandlerOptions> = {}) =>
  createTokenHandler({ signingKey: ADMIN_TOKEN, authorize: () => grant, onError: () => {}, ...options });
const request = (init: RequestInit = {}, url = 'http://app.test/api/tinybird-token') => new Request(url, init);

describe('createTokenHandler', () => {
  it.each(['GET', 'POST'])(
    '%s -> 200 JSON { token, expiresAt, baseUrl } with Cache-Control: no-store',
    async (method) => {
      const res = await handler()(request({ method }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as TokenResponseBody;
      expect(Object.keys(body).sort()).toEqual(['baseUrl', 'expiresAt', 'token']);
      const { payload } = await jwtVerify(body.token, new TextEncoder().encode(ADMIN_TOKEN));
      expect(payload).toMatchObject({ workspace_id: WORKSPACE_ID, name: 'user_42', scopes: grant.scopes });
      expect(body.expiresAt).toBe(payload.exp); // unix seconds, the token's own exp
      expect(body.baseUrl).toBe('https://api.tinybird.co'); // from the admin token's host: eu_shared
    },
  );

  it("uses a 10 minute lifetime by default, the handler's expiresIn, and a grant's own expiresIn over both", async () => {
    const lifetime = async (res: Response) => {
      const { token } = (await res.json()) as TokenResponseBody;
      const { exp, iat } = decodeJwt(token);
      return exp! - iat!;
    };
    expect(await lifetime(await handler()(request()))).toBe(600);
    expect(await lifetime(await handler({ expiresIn: '1m' })(request()))).toBe(60);
    expect(
      await lifetime(await handler({ expiresIn: '1m', authorize: () => ({ ...grant, expiresIn: 15 }) })(request())),
    ).toBe(15);
  });

  it('passes the request to authorize (your session check) and signs what it grants', async () => {
    const authorize = vi.fn((req: Request) => {
      const user = req.headers.get('x-user');
      return user
        ? {
            name: `user_${user}`,
            scopes: [{ type: 'PIPES:READ' as const, resource: 'user_bookings', fixed_params: { user_id: user } }],
            limits: { rps: 5 },
          }
        : null;
    });
    const res = await handler({ authorize })(request({ headers: { 'x-user': 'u_7' } }));
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0]?.[0].headers.get('x-user')).toBe('u_7');
    const claims = decodeJwt(((await res.json()) as TokenResponseBody).token);
    expect(claims).toMatchObject({
      name: 'user_u_7',
      limits: { rps: 5 },
      scopes: [{ fixed_params: { user_id: 'u_7' } }],
    });
  });

  it.each([null, undefined])('authorize returning %s -> 401 JSON, no token', async (value) => {
    const res = await handler({ authorize: async () => value })(request());
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: expect.stringMatching(/not authorized/i) });
  });

  it('answers with a Response that authorize returns (a custom 403, a redirect)', async () => {
    const res = await handler({ authorize: () => new Response('no plan', { status: 403 }) })(request());
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('no plan');
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'])(
    '%s -> 405 with Allow: GET, POST, without calling authorize',
    async (method) => {
      const authorize = vi.fn(() => grant);
      const res = await handler({ authorize })(request({ method }));
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, POST');
      expect(authorize).not.toHaveBeenCalled();
    },
  );

  it('an error from authorize -> 500 that leaks neither the error nor the key, reported to onError', async () => {
    const onError = vi.fn();
    const boom = new Error(`db down (key ${ADMIN_TOKEN})`);
    const res = await handler({ authorize: () => Promise.reject(boom), onError })(request());
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain('db down');
    expect(JSON.parse(text)).toEqual({ error: 'Could not issue a Tinybird token.' });
    expect(onError).toHaveBeenCalledWith(boom);
  });

  it('reports to console.error by default', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await createTokenHandler({
        signingKey: ADMIN_TOKEN,
        authorize: () => {
          throw new Error('nope');
        },
      })(request());
      expect(res.status).toBe(500);
      expect(spy).toHaveBeenCalledWith(
        expect.stringContaining('token route failed'),
        expect.objectContaining({ message: 'nope' }),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('an invalid grant -> 500 with the TypeError reported', async () => {
    const onError = vi.fn();
    const res = await handler({ authorize: () => ({ name: 'x', scopes: [] }), onError })(request());
    expect(res.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/non-empty array/) }),
    );
  });

  it('a grant over maxLifetime -> 500', async () => {
    const onError = vi.fn();
    const res = await handler({ maxLifetime: '1h', authorize: () => ({ ...grant, expiresIn: '2h' }), onError })(
      request(),
    );
    expect(res.status).toBe(500);
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(TypeError);
  });

  it('a missing signing key (unset env var) -> 500 per request, not a crash at import time', async () => {
    const onError = vi.fn();
    const route = createTokenHandler({ signingKey: undefined, authorize: () => grant, onError });
    const res = await route(request());
    expect(res.status).toBe(500);
    expect(String(onError.mock.calls[0]?.[0])).toMatch(/TINYBIRD_ADMIN_TOKEN/);
  });

  it('needs an authorize function', () => {
    expect(() => createTokenHandler({ signingKey: ADMIN_TOKEN } as TokenHandlerOptions)).toThrow(
      /needs `authorize\(request\)`/,
    );
  });

  it("baseUrl: the option, else the admin token's host, else https://api.tinybird.co", async () => {
    const baseUrlOf = async (options: Partial<TokenHandlerOptions>) =>
      ((await (await handler(options)(request())).json()) as TokenResponseBody).baseUrl;
    expect(await baseUrlOf({ baseUrl: 'http://127.0.0.1:7181' })).toBe('http://127.0.0.1:7181');
    expect(await baseUrlOf({ signingKey: makeAdminToken({ host: 'gcp-europe-west2' }) })).toBe(
      'https://api.europe-west2.gcp.tinybird.co',
    );
    expect(await baseUrlOf({ signingKey: makeAdminToken({ host: 'unknown_region' }) })).toBe('https://api.tinybird.co');
    const noClaims = `p.${Buffer.from('{"id": "x"}').toString('base64url')}.sig`;
    expect(await baseUrlOf({ signingKey: noClaims, workspaceId: 'ws' })).toBe('https://api.tinybird.co');
  });

  it("workspaceId option overrides the admin token's", async () => {
    const { token } = (await (await handler({ workspaceId: 'ws-other' })(request())).json()) as TokenResponseBody;
    expect(decodeJwt(token)['workspace_id']).toBe('ws-other');
  });

  it('answers 500 even when onError itself throws (the failure is logged, never an unhandled rejection)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await handler({
        authorize: () => {
          throw new Error('session store down');
        },
        onError: () => {
          throw new Error('logger down');
        },
      })(request());
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'Could not issue a Tinybird token.' });
      expect(logged).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ message: 'logger down' }));
    } finally {
      logged.mockRestore();
    }
  });

  it('cuts off an authorize that never settles with a 503 after authorizeTimeout (default 10 s), and reports it', async () => {
    vi.useFakeTimers();
    try {
      const errors: unknown[] = [];
      const never = () => new Promise<null>(() => {});
      const pending = handler({ authorize: never, onError: (error) => errors.push(error) })(request());
      await vi.advanceTimersByTimeAsync(9_999);
      expect(errors).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(String(errors[0])).toMatch(/did not settle within 10000 ms/);
      const quick = handler({ authorize: never, authorizeTimeout: '2s' })(request());
      await vi.advanceTimersByTimeAsync(2_000);
      expect((await quick).status).toBe(503);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('over real HTTP (node:http via @hono/node-server)', () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => close?.());

    it('serves the token with no-store to a real fetch', async () => {
      const server = serve({ fetch: handler(), port: 0, hostname: '127.0.0.1' });
      close = () => new Promise((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/tinybird-token`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as TokenResponseBody;
      expect(decodeJwt(body.token).exp).toBe(body.expiresAt);
      const put = await fetch(`http://127.0.0.1:${port}/api/tinybird-token`, { method: 'PUT' });
      expect(put.status).toBe(405);
    });
  });
});
