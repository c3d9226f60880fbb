// The Token API: list the workspace's tokens and mint JWTs signed with the admin token (both admin only).
import { Hono, type Context } from 'hono';
import { createTinybirdJWT } from '../../server/sign';
import type { TinybirdScope } from '../../server/scopes';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { adminOnly, bodyLimited } from './middleware';
import { bodyObject } from './request';

export function tokenRoutes({ auth, workspace, project }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.get('/tokens', adminOnly(auth, 'Listing tokens', DOC.tokens), (c) =>
    c.json({
      tokens: [
        { name: 'admin token', token: workspace.adminToken, scopes: [{ type: 'ADMIN' }] },
        ...auth.staticTokens(),
      ],
    }),
  );

  const mint = async (c: Context<LocalEnv>) => {
    const raw = c.req.query('expiration_time');
    if (raw === undefined)
      throw new HttpError(
        400,
        'expiration_time is required: this server creates JWTs (POST /v0/tokens/?expiration_time=<unix seconds>)',
        DOC.tokens,
      );
    const exp = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(exp))
      throw new HttpError(400, 'expiration_time must be a unix timestamp in seconds', DOC.tokens);
    if (exp <= Date.now() / 1000) throw new HttpError(400, 'expiration_time must be in the future', DOC.tokens);
    const body = await bodyObject(c, DOC.tokens);
    const scopes = Array.isArray(body['scopes']) ? (body['scopes'] as TinybirdScope[]) : [];
    for (const scope of scopes) {
      const exists =
        scope?.type === 'PIPES:READ' ? project.pipes.has(scope.resource) : project.datasources.has(scope?.resource);
      if (scope && typeof scope === 'object' && typeof scope.resource === 'string' && !exists) {
        throw new HttpError(400, `Resource '${scope.resource}' not found for scope ${scope.type}`, DOC.tokens);
      }
    }
    try {
      const token = await createTinybirdJWT({
        signingKey: workspace.adminToken,
        workspaceId: workspace.id,
        name: body['name'] as string,
        expiresAt: exp,
        scopes,
        ...(body['limits'] !== undefined && { limits: body['limits'] as { rps?: number } }),
        maxLifetime: '36500d',
      });
      return c.json({ token });
    } catch (error) {
      if (error instanceof TypeError)
        throw new HttpError(400, error.message.replace(/^react-tinybird\/server: /, ''), DOC.tokens);
      throw error;
    }
  };
  const minting = [bodyLimited(), adminOnly(auth, 'Creating tokens', DOC.tokens)] as const;
  app.post('/tokens', ...minting, mint);
  app.post('/tokens/', ...minting, mint);

  return app;
}
