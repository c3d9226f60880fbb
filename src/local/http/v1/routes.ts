// Tinybird's /v1 workspace and build routes, as @tinybirdco/sdk's local mode calls them (src/api/local.ts, build.ts,
// workspaces.ts there): find the workspace of a token, list and create workspaces (one per git branch), and build a
// workspace from every datafile in one multipart request. The user token (GET /tokens' user_token, the default
// workspace's admin token) owns every workspace; a workspace's own admin token reaches that workspace only.
import { Hono, type Context } from 'hono';
import { DOC, HttpError } from '../../errors';
import type { DatafileText } from '../../project';
import { bodyLimited } from '../middleware';
import { BuildRefused } from './build-report';
import type { WorkspaceDirectory, WorkspaceEntry } from './directory';

/** Tinybird's rule for workspace names (the SDK turns a git branch into one: symbols become underscores). */
const VALID_NAME = /^[A-Za-z0-9_]{1,64}$/;
const USER = { user_id: 'local', user_email: 'local@localhost' };

/** The /v1 app: its routes, and errors answered in Tinybird's shape. */
export function v1Routes(directory: WorkspaceDirectory): Hono {
  const app = new Hono().basePath('/v1');
  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HttpError)
      return c.json({ error: error.message, documentation: error.documentation }, error.status, error.headers);
    directory.log(`Internal error on ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? String(error)}`);
    return c.json(
      { error: 'Internal error: the local server could not answer this request (its log has the details)' },
      500,
    );
  });

  /** The workspace of the request's token, or Tinybird's 403. */
  const workspaceOf = (c: Context): WorkspaceEntry => {
    const token = tokenOf(c);
    const found = token === undefined ? undefined : directory.byAdminToken(token);
    if (!found) throw new HttpError(403, 'invalid authentication token: use a workspace admin token', DOC.auth);
    return found;
  };
  /** Only the user token may see or change other workspaces. */
  const userOnly = (c: Context, what: string): void => {
    if (workspaceOf(c).id !== directory.main.id)
      throw new HttpError(
        403,
        `${what} needs the user token (GET /tokens' user_token); a workspace's token reaches that workspace only`,
        DOC.auth,
      );
  };

  app.get('/workspace', (c) => {
    const { id, name } = workspaceOf(c);
    return c.json({ id, name, ...USER, scope: 'user', main: null });
  });

  app.get('/user/workspaces', (c) => {
    userOnly(c, 'Listing workspaces');
    return c.json({
      organization_id: 'local',
      workspaces: directory.list().map((w) => ({ ...w, role: 'admin', ...USER })),
    });
  });

  app.post('/workspaces', async (c) => {
    userOnly(c, 'Creating a workspace');
    const body = await c.req.parseBody();
    const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
    if (!VALID_NAME.test(name))
      throw new HttpError(
        400,
        `Invalid workspace name "${name.slice(0, 80)}": use 1 to 64 letters, digits and underscores`,
        DOC.auth,
      );
    if (directory.list().some((w) => w.name === name))
      throw new HttpError(400, `A workspace named "${name}" already exists`, DOC.auth);
    const created = await directory.create(name);
    return c.json({ ...created, ...USER });
  });

  app.delete('/workspaces/:id', async (c) => {
    userOnly(c, 'Deleting a workspace');
    const id = c.req.param('id');
    if (id === directory.main.id) throw new HttpError(400, 'The default workspace cannot be deleted', DOC.auth);
    if (!directory.list().some((w) => w.id === id)) throw new HttpError(404, `Workspace ${id} not found`, DOC.auth);
    await directory.remove(id);
    return c.json({ id });
  });

  app.post('/build', bodyLimited(), async (c) => {
    const { id } = workspaceOf(c);
    const body = await c.req.parseBody({ all: true });
    const files: DatafileText[] = [];
    for (const value of Object.values(body).flat()) {
      // .connection files too: accepted and reported, though no connector runs here.
      if (typeof value === 'string' || !/\.(datasource|pipe|connection)$/.test(value.name)) continue;
      files.push({ name: value.name, text: await value.text() });
    }
    if (!files.some((f) => /\.(datasource|pipe)$/.test(f.name)))
      throw new HttpError(400, 'A build needs datafiles: send each as a `data_project://` file', DOC.datasources);
    try {
      return c.json(await directory.build(id, files));
    } catch (error) {
      if (error instanceof BuildRefused) return c.json(error.body(), 400);
      throw error;
    }
  });

  return app;
}

/** `?token=` wins over the Authorization header, as on Tinybird. */
function tokenOf(c: Context): string | undefined {
  return c.req.query('token') ?? /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
}
