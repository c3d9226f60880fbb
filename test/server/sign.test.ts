import { decodeProtectedHeader, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTinybirdJWT, type CreateTinybirdJWTOptions } from 'react-tinybird/server';
import { ADMIN_TOKEN, WORKSPACE_ID, makeAdminToken } from './fixtures';

// A fixed clock with a fractional second, so integer exp/iat are checked, not assumed. jose and jsonwebtoken both
// read Date.now(), so verification runs against the same clock.
const NOW = Date.parse('2026-03-01T12:00:00.600Z');
const NOW_S = Math.floor(NOW / 1000);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const base = {
  signingKey: ADMIN_TOKEN,
  name: 'user_42',
  scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
} satisfies CreateTinybirdJWTOptions;

async function verified(token: string) {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(ADMIN_TOKEN), { algorithms: ['HS256'] });
  const viaJsonwebtoken = jsonwebtoken.verify(token, ADMIN_TOKEN, { algorithms: ['HS256'] });
  expect(viaJsonwebtoken).toEqual(payload);
  return payload;
}

describe('createTinybirdJWT: claims', () => {
  it('signs HS256 with the admin token and carries Tinybird claims; verifies with jose and jsonwebtoken', async () => {
    const token = await createTinybirdJWT(base);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(await verified(token)).toEqual({
      workspace_id: WORKSPACE_ID,
      name: 'user_42',
      scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
      iat: NOW_S,
      exp: NOW_S + 600, // default lifetime: 10 minutes
    });
  });

  it('does not verify with another key (rotating the admin token invalidates every JWT)', async () => {
    const token = await createTinybirdJWT(base);
    const other = makeAdminToken({ id: 'another-token' });
    await expect(jwtVerify(token, new TextEncoder().encode(other))).rejects.toThrow(/signature/i);
    expect(() => jsonwebtoken.verify(token, other)).toThrow(/invalid signature/);
  });

  it.each([
    [30, 30],
    ['45s', 45],
    ['10m', 600],
    ['1h', 3600],
    ['2 hours', 7200],
    ['1d', 86400],
    ['1500ms', 2], // rounded up: a sub-second remainder never yields an already-expired token
  ] as const)('expiresIn %j -> exp = iat + %i (an integer)', async (expiresIn, seconds) => {
    const payload = await verified(await createTinybirdJWT({ ...base, expiresIn }));
    expect(payload.iat).toBe(NOW_S);
    expect(payload.exp).toBe(NOW_S + seconds);
    expect(Number.isInteger(payload.exp)).toBe(true);
  });

  it('expiresAt accepts a Date, unix seconds and epoch milliseconds', async () => {
    const at = NOW + 5 * 60_000;
    for (const expiresAt of [new Date(at), at, at / 1000]) {
      const payload = await verified(await createTinybirdJWT({ ...base, expiresAt }));
      expect(payload.exp).toBe(Math.floor(at / 1000));
    }
  });

  it('reads workspace_id from the admin token, or takes the one given', async () => {
    const key = makeAdminToken({ u: 'ws-from-token' });
    const fromToken = jsonwebtoken.decode(await createTinybirdJWT({ ...base, signingKey: key })) as Record<
      string,
      unknown
    >;
    expect(fromToken['workspace_id']).toBe('ws-from-token');
    const given = jsonwebtoken.decode(
      await createTinybirdJWT({ ...base, signingKey: key, workspaceId: 'ws-given' }),
    ) as Record<string, unknown>;
    expect(given['workspace_id']).toBe('ws-given');
  });

  it('signs with a key that has no `u` claim when workspaceId is given', async () => {
    const legacy = `p.${Buffer.from('{"id": "x"}').toString('base64url')}.sig`;
    const token = await createTinybirdJWT({ ...base, signingKey: legacy, workspaceId: 'ws-1' });
    expect(jsonwebtoken.verify(token, legacy)).toMatchObject({ workspace_id: 'ws-1' });
  });

  it('carries fixed_params, filter and limits, and drops fields Tinybird does not know', async () => {
    const payload = await verified(
      await createTinybirdJWT({
        ...base,
        scopes: [
          {
            type: 'PIPES:READ',
            resource: 'user_bookings',
            fixed_params: { user_id: 'u_42', years: [2024, 2025], active: true },
          },
          { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_42'" },
          { type: 'DATASOURCES:APPEND', resource: 'events', extra: 'nope' } as never,
        ],
        limits: { rps: 10 },
      }),
    );
    expect(payload['scopes']).toEqual([
      {
        type: 'PIPES:READ',
        resource: 'user_bookings',
        fixed_params: { user_id: 'u_42', years: [2024, 2025], active: true },
      },
      { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_42'" },
      { type: 'DATASOURCES:APPEND', resource: 'events' },
    ]);
    expect(payload['limits']).toEqual({ rps: 10 });
  });

  it('accepts the admin token with surrounding whitespace (as pasted into .env files) and signs with the trimmed key', async () => {
    const token = await createTinybirdJWT({ ...base, signingKey: `  ${ADMIN_TOKEN}\n` });
    await verified(token);
  });
});

describe('createTinybirdJWT: validation', () => {
  const rejects = (options: unknown, message: RegExp) =>
    expect(createTinybirdJWT(options as CreateTinybirdJWTOptions)).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    );

  it.each([
    ['missing', undefined, /`signingKey` is missing/],
    ['empty', '', /`signingKey` is missing/],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln', /looks like a JWT, not an admin token/],
    ['a random secret', 'my-secret', /not a Tinybird static token/],
    [
      'a p. token without a workspace id',
      `p.${Buffer.from('{"id": "x"}').toString('base64url')}.sig`,
      /no workspace id.*pass `workspaceId`/,
    ],
    ['a p. token with garbage after it', 'p.!!!not-base64!!!', /no workspace id/],
  ])('signingKey %s -> TypeError that says to pass the admin token', async (_, signingKey, message) => {
    const error: unknown = await createTinybirdJWT({ ...base, signingKey: signingKey as string }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('workspace admin token');
    expect((error as Error).message).toContain('process.env.TINYBIRD_ADMIN_TOKEN');
    if (signingKey) expect((error as Error).message).not.toContain(signingKey); // never echo a secret
  });

  it('refuses a non-p. key even when workspaceId is given', () =>
    rejects({ ...base, signingKey: 'secret', workspaceId: 'ws' }, /not a Tinybird static token/));
  it('refuses an empty workspaceId', () =>
    rejects({ ...base, workspaceId: ' ' }, /`workspaceId` must be a non-empty string/));
  it('refuses a missing name', () => rejects({ ...base, name: undefined }, /`name` is required/));
  it('refuses an empty name', () => rejects({ ...base, name: '  ' }, /`name` is required/));
  it('refuses missing scopes', () => rejects({ ...base, scopes: undefined }, /`scopes` must be a non-empty array/));
  it('refuses empty scopes', () => rejects({ ...base, scopes: [] }, /`scopes` must be a non-empty array/));
  it('refuses a scope that is not an object', () =>
    rejects({ ...base, scopes: ['PIPES:READ:x'] }, /scopes\[0\] must be an object/));
  it('refuses an unknown scope type', () =>
    rejects(
      { ...base, scopes: [{ type: 'PIPES:WRITE', resource: 'x' }] },
      /scopes\[0\]\.type must be one of PIPES:READ, DATASOURCES:READ, DATASOURCES:APPEND \(got "PIPES:WRITE"\)/,
    ));
  it('refuses a scope without resource', () =>
    rejects({ ...base, scopes: [{ type: 'PIPES:READ' }] }, /scopes\[0\]\.resource must be the name of a pipe/));
  it('refuses a data source scope with an empty resource', () =>
    rejects(
      { ...base, scopes: [base.scopes[0], { type: 'DATASOURCES:APPEND', resource: '' }] },
      /scopes\[1\]\.resource must be the name of a data source/,
    ));
  it('refuses fixed_params that are not an object', () =>
    rejects(
      { ...base, scopes: [{ type: 'PIPES:READ', resource: 'x', fixed_params: 'user_id=1' }] },
      /fixed_params must be an object/,
    ));
  it('refuses a fixed_params value that is not a scalar or array of scalars', () =>
    rejects(
      { ...base, scopes: [{ type: 'PIPES:READ', resource: 'x', fixed_params: { user: { id: 1 } } }] },
      /fixed_params\.user must be a string/,
    ));
  it('refuses a filter that is not a string', () =>
    rejects(
      { ...base, scopes: [{ type: 'DATASOURCES:READ', resource: 'events', filter: 42 }] },
      /filter must be a non-empty SQL condition/,
    ));
  it('refuses a zero lifetime', () => rejects({ ...base, expiresIn: 0 }, /lifetime must be positive/));
  it('refuses a negative lifetime', () => rejects({ ...base, expiresIn: '-5m' }, /lifetime must be positive/));
  it('refuses an expiresAt in the past', () =>
    rejects({ ...base, expiresAt: new Date(NOW - 1000) }, /lifetime must be positive/));
  it('refuses an invalid expiresAt', () =>
    rejects({ ...base, expiresAt: new Date('nope') }, /`expiresAt` must be a valid Date/));
  it('refuses a lifetime over 24 h by default', () =>
    rejects({ ...base, expiresIn: '25h' }, /exceeds `maxLifetime` \(86400 s\)/));
  it('accepts exactly 24 h', async () =>
    expect(jsonwebtoken.decode(await createTinybirdJWT({ ...base, expiresIn: '24h' }))).toMatchObject({
      exp: NOW_S + 86400,
    }));
  it('refuses a lifetime over a custom maxLifetime', () =>
    rejects({ ...base, expiresIn: '2h', maxLifetime: '1h' }, /exceeds `maxLifetime` \(3600 s\)/));
  it('refuses an expiresAt beyond maxLifetime', () =>
    rejects({ ...base, expiresAt: NOW + 48 * 3600_000 }, /exceeds `maxLifetime`/));
  it('refuses expiresIn and expiresAt together', () =>
    rejects({ ...base, expiresIn: '1m', expiresAt: NOW + 60_000 }, /not both/));
  it('refuses a bare numeric string as a duration', () =>
    rejects({ ...base, expiresIn: '600' }, /with a unit such as '30s'/));
  it('refuses an unknown unit', () => rejects({ ...base, expiresIn: '10 fortnights' }, /with a unit/));
  it('refuses a non-positive maxLifetime', () =>
    rejects({ ...base, maxLifetime: 0 }, /`maxLifetime` must be positive/));
  it.each([0, -1, 1.5, '10'])('refuses limits.rps = %j', (rps) =>
    rejects({ ...base, limits: { rps } }, /`limits.rps` must be a positive integer/),
  );
  it('refuses limits that are not an object', () => rejects({ ...base, limits: 10 }, /`limits` must be an object/));
  it('refuses a missing options object', () => rejects(undefined, /expects an options object/));
});
