// The Data Sources API as far as the local server offers it: data sources come from the datafiles, so listing and
// emptying them (admin only).
import { Hono } from 'hono';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { adminOnly } from './middleware';

export function datasourceRoutes({ engine, auth, project }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.get('/datasources', adminOnly(auth, 'Listing data sources', DOC.datasources), (c) =>
    c.json({
      datasources: [...project.datasources.values()].map((ds) => ({
        name: ds.name,
        description: ds.description ?? null,
        columns: ds.columns.map((column) => ({ name: column.name, type: column.type })),
        engine: ds.engine,
      })),
    }),
  );

  app.post('/datasources/:name/truncate', adminOnly(auth, 'Truncating a data source', DOC.datasources), async (c) => {
    const name = c.req.param('name');
    // `<name>_quarantine` empties the quarantine only, as on Tinybird.
    const owner =
      name.endsWith('_quarantine') && !project.datasources.has(name) ? name.slice(0, -'_quarantine'.length) : name;
    if (!project.datasources.has(owner)) throw new HttpError(404, `Data Source '${name}' not found`, DOC.datasources);
    await engine.truncate(name);
    return c.body(null, 205);
  });

  return app;
}
