// The Data Sources API as far as the local server offers it. Data sources come from the datafiles, so there is no
// `mode=create`; the rest is as Tinybird documents it: list, describe one, append or replace rows from a file (CSV,
// NDJSON, Parquet; multipart or a plain body; gzip), delete rows by a condition, truncate.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppendResult } from '../engine/ingest';
import { detectFormat, type FileFormat } from '../engine/file-rows';
import { formatJsonPath } from '../project/json-path';
import { DOC, HttpError } from '../errors';
import type { DataSource } from '../project/datafiles';
import { isNullable } from '../clickhouse-types';
import type { AppContext, LocalEnv } from './context';
import { listedProblems } from './listed-problems';
import { rememberJob, type JobStore } from './copy-jobs';
import { withHeldData } from './held-data';
import { adminOnly, authenticated } from './middleware';
import { bodyObject, gunzipLimited } from './request';

/** A file may be this big as sent, and inflate (gzip) to twice that. */
const FILE_MAX_BYTES = 100 * 1024 * 1024;
const FORMATS = new Set<FileFormat>(['csv', 'ndjson', 'parquet']);

export function datasourceRoutes(
  { engine, auth, project, refusedEdit }: AppContext,
  jobs: JobStore = new Map(),
): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();
  const find = (name: string): DataSource => {
    const ds = project.datasources.get(name);
    const refused = project.problems.find((p) => p.kind === 'datasource' && p.name === name);
    if (!ds && refused)
      throw new HttpError(
        400,
        `Data Source '${name}' is not served: ${refused.file}:${refused.line}: ${refused.problem}`,
        DOC.datasources,
      );
    if (!ds) throw new HttpError(404, `Data Source '${name}' not found`, DOC.datasources);
    return ds;
  };

  app.get('/datasources', adminOnly(auth, 'Listing data sources', DOC.datasources), (c) =>
    c.json({
      datasources: [...project.datasources.values()].map((ds) => ({
        name: ds.name,
        description: ds.description ?? null,
        columns: ds.columns.map((column) => ({ name: column.name, type: column.type })),
        engine: ds.engine,
      })),
      // The data sources left out of the project, so a tool (or a person) can see what is not served and why.
      errors: listedProblems('datasource', project.problems, refusedEdit),
    }),
  );

  app.get('/datasources/:name', adminOnly(auth, 'Reading a data source', DOC.datasources), async (c) => {
    const ds = find(c.req.param('name'));
    return c.json(describe(ds, await engine.count(ds.name), await engine.count(`${ds.name}_quarantine`)));
  });

  app.post(
    '/datasources',
    bodyLimit({
      maxSize: FILE_MAX_BYTES,
      onError: (c) =>
        c.json({ error: 'The file is larger than 100 MB: split it', documentation: DOC.datasources }, 413),
    }),
    authenticated(auth),
    async (c) => {
      const principal = c.get('principal');
      const mode = c.req.query('mode') ?? 'create';
      if (mode === 'create')
        throw new HttpError(
          400,
          'mode=create is not offered here: data sources come from the datafiles. Use mode=append or mode=replace',
          DOC.datasources,
        );
      if (mode !== 'append' && mode !== 'replace')
        throw new HttpError(400, `mode is append or replace, got "${mode}"`, DOC.datasources);
      if (c.req.query('url') !== undefined)
        throw new HttpError(
          400,
          'Importing from a url is not offered by the local server: send the file',
          DOC.datasources,
        );
      const ds = find(c.req.query('name') ?? '');
      if (mode === 'append') auth.canAppend(principal, ds.name);
      else if (principal.kind !== 'admin')
        throw new HttpError(403, 'Replacing the rows of a data source needs the admin token', DOC.datasources);
      const file = await uploaded(c);
      const asked = c.req.query('format');
      if (asked !== undefined && !FORMATS.has(asked as FileFormat))
        throw new HttpError(400, `Invalid format ${asked}: csv, ndjson or parquet`, DOC.datasources);
      const format = (asked as FileFormat | undefined) ?? byName(file.name) ?? detectFormat(file.bytes);
      const result = await withHeldData(file.bytes.length, () => engine.importFile(ds, format, file.bytes, mode));
      return c.json(importAnswer(ds, result));
    },
  );

  app.post('/datasources/:name/delete', adminOnly(auth, 'Deleting rows', DOC.datasources), async (c) => {
    const ds = find(c.req.param('name'));
    const body = await bodyObject(c, DOC.datasources);
    const condition = String(c.req.query('delete_condition') ?? body['delete_condition'] ?? '');
    const dryRun = String(c.req.query('dry_run') ?? body['dry_run'] ?? 'false') === 'true';
    const created = new Date().toISOString();
    const rows = await engine.deleteWhere(ds, condition, dryRun);
    if (dryRun) return c.json({ rows_to_be_deleted: rows });
    const id = randomUUID();
    const job = {
      kind: 'delete_data',
      id,
      job_id: id,
      status: 'done',
      created_at: created,
      updated_at: new Date().toISOString(),
      started_at: created,
      is_cancellable: false,
      datasource: { id: ds.name, name: ds.name },
      delete_condition: condition,
      rows_affected: rows,
    };
    rememberJob(jobs, job);
    const job_url = `${new URL(c.req.url).origin}/v0/jobs/${id}`;
    return c.json({ id, job_id: id, job_url, job: { ...job, job_url }, status: 'done', delete_id: id }, 201);
  });

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

/** The file of the request: the first file part of a multipart body (any field name), else the body itself. */
async function uploaded(c: Context<LocalEnv>): Promise<{ name: string; bytes: Uint8Array }> {
  let name = '';
  let bytes: Uint8Array;
  if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    let parts: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      parts = await c.req.parseBody({ all: true });
    } catch {
      // No boundary, a boundary the body never uses, parts without headers, a body cut short: the sender's mistake.
      throw new HttpError(
        400,
        'The multipart body cannot be read: send multipart/form-data with its boundary and the file as one part',
        DOC.datasources,
      );
    }
    const file = Object.values(parts)
      .flat()
      .find((part): part is File => typeof part === 'object' && part !== null && 'arrayBuffer' in part);
    if (!file) throw new HttpError(400, 'The multipart body has no file part: send the file as `csv`', DOC.datasources);
    name = file.name;
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  }
  // A gzip file (.csv.gz...) or a gzip body: inflated with a ceiling.
  if ((bytes[0] === 0x1f && bytes[1] === 0x8b) || /\bgzip\b/i.test(c.req.header('content-encoding') ?? ''))
    bytes = await gunzipLimited(bytes, 2 * FILE_MAX_BYTES, DOC.datasources);
  return { name: name.replace(/\.gz$/i, ''), bytes };
}

function byName(name: string): FileFormat | undefined {
  const extension = /\.(csv|ndjson|jsonl|parquet)$/i.exec(name)?.[1]?.toLowerCase();
  return extension === 'jsonl' ? 'ndjson' : (extension as FileFormat | undefined);
}

/** Tinybird's answer to a file import. */
function importAnswer(ds: DataSource, result: AppendResult): Record<string, unknown> {
  const quarantined = result.quarantined_rows;
  return {
    import_id: randomUUID(),
    datasource: { id: ds.name, name: ds.name },
    quarantine_rows: quarantined,
    invalid_lines: 0,
    error: quarantined > 0 ? `There was an error with file contents: ${quarantined} rows in quarantine.` : false,
  };
}

/** GET /v0/datasources/<name>, in Tinybird's shape (the fields clients read). */
function describe(ds: DataSource, rows: number, quarantined: number): Record<string, unknown> {
  const engine: Record<string, string> = { engine: ds.engine['engine'] ?? 'MergeTree' };
  for (const [key, value] of Object.entries(ds.engine)) {
    engine[key] = value;
    if (key !== 'engine') engine[`engine_${key}`] = value;
  }
  return {
    id: ds.name,
    name: ds.name,
    description: ds.description ?? '',
    type: 'ndjson',
    engine,
    columns: ds.columns.map((column) => ({
      name: column.name,
      normalized_name: column.name,
      type: column.type,
      codec: column.codec ?? null,
      default_value: column.default ?? null,
      jsonpath: formatJsonPath(column.jsonPath),
      nullable: isNullable(column.type),
    })),
    statistics: { row_count: rows },
    quarantine_rows: quarantined,
  };
}
