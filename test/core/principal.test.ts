// The principal: whose rows a token can see, as it appears in every query key. Tokens signed with jose, as a token
// route signs them.
import { describe, expect, it } from 'vitest';
import { createTinybirdJWT } from 'react-tinybird/server';
import type { TinybirdScope } from 'react-tinybird/server';
import { TokenSource } from '../../src/index';
import { tokenPrincipal } from '../../src/core/principal';
import { ADMIN_TOKEN, makeAdminToken } from '../server/fixtures';

const bookings = (user_id: string): TinybirdScope => ({
  type: 'PIPES:READ',
  resource: 'user_bookings',
  fixed_params: { user_id },
});
const sign = (scopes: TinybirdScope[], extra: { name?: string; expiresIn?: string; signingKey?: string } = {}) =>
  createTinybirdJWT({
    signingKey: extra.signingKey ?? ADMIN_TOKEN,
    name: extra.name ?? 'app',
    expiresIn: extra.expiresIn ?? '10m',
    scopes,
  });

describe('principal', () => {
  it('is the same for tokens that see the same rows: other name, lifetime, scope order or key order', async () => {
    const a = await sign([bookings('u_1'), { type: 'PIPES:READ', resource: 'top_airlines' }], { name: 'x' });
    const b = await sign([{ resource: 'top_airlines', type: 'PIPES:READ' }, bookings('u_1')], {
      name: 'y',
      expiresIn: '1h',
    });
    expect(a).not.toBe(b);
    expect(tokenPrincipal(a)).toBe(tokenPrincipal(b));
  });

  it('differs when fixed_params, filter, scopes or the workspace differ', async () => {
    const base = tokenPrincipal(await sign([bookings('u_1')]));
    const others = [
      await sign([bookings('u_2')]),
      await sign([{ type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_1'" }]),
      await sign([{ type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_2'" }]),
      await sign([bookings('u_1'), { type: 'PIPES:READ', resource: 'kpis' }]),
      await sign([bookings('u_1')], { signingKey: makeAdminToken({ u: 'another-workspace' }) }),
    ].map(tokenPrincipal);
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('holds nothing of the token: a short hash, for JWTs and static tokens alike', async () => {
    const jwt = await sign([bookings('u_secret_42')]);
    const staticToken = `p.${'x'.repeat(40)}`;
    for (const token of [jwt, staticToken]) {
      const principal = tokenPrincipal(token);
      expect(principal).toMatch(/^[jp]:[0-9a-z]{1,12}$/);
      expect(token).not.toContain(principal.slice(2));
    }
    expect(tokenPrincipal(jwt)).not.toContain('u_secret_42');
    expect(tokenPrincipal(staticToken)).not.toBe(tokenPrincipal(`p.${'y'.repeat(40)}`));
  });

  it("is in the token source's state from the first token, and kept by a refresh to the same principal", async () => {
    let user = 'u_1';
    const tokens = new TokenSource({ getToken: () => sign([bookings(user)]) });
    try {
      expect(tokens.getState().principal).toBeNull();
      const first = await tokens.getToken();
      const principal = tokens.getState().principal;
      expect(principal).toBe(tokenPrincipal(first));
      await tokens.refresh();
      expect(tokens.getState().principal).toBe(principal);
      user = 'u_2';
      await tokens.refresh();
      expect(tokens.getState().principal).not.toBe(principal);
    } finally {
      tokens.dispose();
    }
  });
});
