// The Token API (admin only): list, create, get and delete static tokens, and mint JWTs signed with the admin token.
import { Hono, type Context } from 'hono';
import { createTinybirdJWT } from '../../server/sign';
import type { TinybirdScope } from '../../server/scopes';
import { TinybirdConfigError } from '../../server/errors';
import { DOC, HttpError } from '../errors';
import { mintStaticToken, saveWorkspace } from './workspace';
import { parseScopeText } from './auth';
import type { AppContext, LocalEnv } from './context';
import { adminOnly, bodyLimited } from './middleware';
import { bodyObject } from './request';

export function tokenRoutes({ auth, workspace, project, dataDir }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();
  const admin = { name: 'admin token', description: '', token: workspace.adminToken, scopes: [{ type: 'ADMIN' }] };

  app.get('/tokens', adminOnly(auth, 'Listing tokens', DOC.tokens), (c) =>
    c.json({ tokens: [admin, ...auth.staticTokens()] }),
  );

  // One token, by name or by value.
  app.get('/tokens/:token', adminOnly(auth, 'Reading a token', DOC.tokens), (c) => {
    const key = c.req.param('token');
    const found = key === admin.name || key === admin.token ? admin : auth.findStatic(key);
    if (!found) throw new HttpError(404, 'Token not found', DOC.tokens);
    return c.json(found);
  });

  app.delete('/tokens/:token', adminOnly(auth, 'Deleting a token', DOC.tokens), async (c) => {
    const found = auth.findStatic(c.req.param('token'));
    if (!found) throw new HttpError(404, 'Static Token not found', DOC.tokens);
    if (!auth.removeApiToken(found.name))
      throw new HttpError(
        400,
        `The token ${found.name} comes from a TOKEN line of the datafiles: remove the line to drop it`,
        DOC.tokens,
      );
    await saveWorkspace(dataDir, workspace);
    return c.json({ ok: true });
  });

  /** A static token: `name` and one or more `scope` from the query string, a form body or a JSON body. */
  const createStatic = async (c: Context<LocalEnv>) => {
    const type = c.req.header('content-type') ?? '';
    const form = type.includes('x-www-form-urlencoded') ? new URLSearchParams(await c.req.text()) : undefined;
    const json = type.includes('json') ? await bodyObject(c, DOC.tokens) : {};
    const list = (key: string): string[] => {
      const fromJson = json[key];
      return [
        ...(c.req.queries(key) ?? []),
        ...(form?.getAll(key) ?? []),
        ...(typeof fromJson === 'string' ? [fromJson] : Array.isArray(fromJson) ? fromJson.map(String) : []),
      ];
    };
    const name = list('name')[0]?.trim() ?? '';
    if (name === '')
      throw new HttpError(400, 'name is required: POST /v0/tokens/?name=<name>&scope=<scope>', DOC.tokens);
    const scopes = list('scope');
    if (scopes.length === 0) throw new HttpError(400, 'scope is mandatory', DOC.tokens);
    for (const text of scopes) {
      const scope = parseScopeText(text);
      const exists =
        scope.type === 'PIPES:READ' ? project.pipes.has(scope.resource) : project.datasources.has(scope.resource);
      if (!exists) throw new HttpError(400, `Unknown resource '${scope.resource}'`, DOC.tokens);
    }
    if (name === admin.name || auth.findStatic(name))
      throw new HttpError(400, `A token named ${name} already exists`, DOC.tokens);
    const token = mintStaticToken(workspace.id, name);
    const description = list('description')[0] ?? '';
    auth.addApiToken(name, token, scopes, description);
    await saveWorkspace(dataDir, workspace);
    return c.json(auth.findStatic(token));
  };

  const mint = async (c: Context<LocalEnv>) => {
    const raw = c.req.query('expiration_time');
    // Without an expiration time the token is a static one, as on Tinybird.
    if (raw === undefined) return createStatic(c);
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
      if (error instanceof TinybirdConfigError) throw new HttpError(400, error.detail, DOC.tokens);
      throw error;
    }
  };
  const minting = [bodyLimited(), adminOnly(auth, 'Creating tokens', DOC.tokens)] as const;
  app.post('/tokens', ...minting, mint);
  app.post('/tokens/', ...minting, mint);

  return app;
}
