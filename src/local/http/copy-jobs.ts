// Copy pipes run on demand (and on their COPY_SCHEDULE in the server). A job runs to its end before the answer, so it
// is `done` (or an error) at once; GET /v0/jobs/<id> answers the same for clients that poll.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { adminOnly } from './middleware';

/** What POST /v0/pipes/<name>/copy answers under `job`, and GET /v0/jobs/<id> answers. */
interface CopyJob {
  kind: 'copy';
  id: string;
  job_id: string;
  status: 'done';
  pipe_name: string;
  datasource: { name: string };
  mode: 'append' | 'replace';
  rows_written: number;
  created_at: string;
  updated_at: string;
  job_url: string;
}

/** Jobs answered by GET /v0/jobs/<id>: copies, and the Data Sources API's deletes. The last 100 are kept. */
export type JobStore = Map<string, { id: string } & Record<string, unknown>>;

export function rememberJob(jobs: JobStore, job: { id: string } & Record<string, unknown>): void {
  jobs.set(job.id, job);
  if (jobs.size > 100) jobs.delete(jobs.keys().next().value!);
}

export function copyJobRoutes({ engine, auth, project }: AppContext, jobs: JobStore = new Map()): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.post('/pipes/:name/copy', adminOnly(auth, 'Running a copy pipe', DOC.pipes), async (c) => {
    const name = c.req.param('name');
    const pipe = project.pipes.get(name);
    if (!pipe) throw new HttpError(404, `Pipe '${name}' not found`, DOC.pipes);
    if (!pipe.copy) throw new HttpError(400, `Pipe '${name}' is not a copy pipe (it has no TYPE copy node)`, DOC.pipes);
    const params: Record<string, unknown> = Object.fromEntries(
      Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
    );
    const mode = params['_mode'] ?? pipe.copy.mode;
    if (mode !== 'append' && mode !== 'replace')
      throw new HttpError(400, `_mode is append or replace, got "${String(mode)}"`, DOC.pipes);
    for (const key of ['token', '_mode']) delete params[key];
    const started = new Date().toISOString();
    const written = await engine.copy(pipe, params, mode);
    const id = randomUUID();
    const job: CopyJob = {
      kind: 'copy',
      id,
      job_id: id,
      status: 'done',
      pipe_name: name,
      datasource: { name: pipe.copy.datasource },
      mode,
      rows_written: written,
      created_at: started,
      updated_at: new Date().toISOString(),
      job_url: `${new URL(c.req.url).origin}/v0/jobs/${id}`,
    };
    rememberJob(jobs, { ...job });
    return c.json({ name, type: 'copy', job });
  });

  app.get('/jobs/:id', adminOnly(auth, 'Reading jobs', DOC.pipes), (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job)
      throw new HttpError(
        404,
        `Job '${c.req.param('id')}' not found (the local server keeps the last 100 until it restarts)`,
        DOC.pipes,
      );
    return c.json(job);
  });

  return app;
}
