// JWT checks in Auth directly, with a clock of the test's own: a token accepted once is remembered only while it is
// within its times, so an accepted token still expires on time.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Auth } from '../../src/local/http/auth';
import type { ProjectSnapshot } from '../../src/local/project';

const workspace = { id: 'ws-1', adminToken: 'p.admin-secret', tokens: {} };
const project: ProjectSnapshot = {
  dir: '.',
  datasources: new Map(),
  pipes: new Map(),
  warnings: [],
  problems: [],
  secrets: new Map(),
};
const sign = (claims: Record<string, unknown>, secret = workspace.adminToken) =>
  new SignJWT({ workspace_id: workspace.id, name: 'user_1', scopes: [], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));

describe('Auth: JWTs', () => {
  it('accepts a token again while it is valid, and refuses it once it expired', async () => {
    let now = 1_000_000_000_000;
    const auth = new Auth(workspace, project, () => now);
    const token = await sign({ exp: now / 1000 + 10 });
    expect(await auth.authenticate(token)).toMatchObject({ kind: 'jwt', name: 'user_1' });
    expect(await auth.authenticate(token)).toMatchObject({ kind: 'jwt', name: 'user_1' });
    now += 10_000;
    await expect(auth.authenticate(token)).rejects.toThrow(/Signature has expired/);
  });

  it('refuses a token before its nbf, even after it was accepted later', async () => {
    let now = 1_000_000_000_000;
    const auth = new Auth(workspace, project, () => now);
    const token = await sign({ exp: now / 1000 + 60, nbf: now / 1000 + 5 });
    now += 5_000;
    expect(await auth.authenticate(token)).toMatchObject({ kind: 'jwt' });
    now -= 5_000;
    await expect(auth.authenticate(token)).rejects.toThrow(/nbf/);
  });

  it('refuses a token signed with another secret', async () => {
    const auth = new Auth(workspace, project);
    const token = await sign({ exp: Math.floor(Date.now() / 1000) + 60 }, 'p.other');
    await expect(auth.authenticate(token)).rejects.toThrow(/Signature verification failed/);
  });
});
