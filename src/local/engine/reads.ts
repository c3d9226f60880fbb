// Reads: a published pipe (its nodes as CTEs, rendered with the request's parameters), `q=` over a pipe's result,
// the Query API (token holders' SQL through the guard, row filters as CTEs) and row counts. Each runs on a read pool,
// against one project snapshot from start to end.
import type { Session } from 'chdb';
import { DOC, HttpError } from '../errors';
import type { DataSource, Pipe, ProjectSnapshot } from '../project/datafiles';
import { ctesForQuery, pipeCtes } from '../project/pipe-sql';
import { rewriteSql, versionedNames } from '../project/versions';
import { templateSettings } from '../template';
import { quote, quoteTable } from './ddl';
import { checkFormat, PIPE_FORMATS } from './formats';
import { SERVICE_TABLES } from './service-datasources';
import type { QueryOutput, Sessions } from './sessions';
import { guardSql } from './sql-guard';
import { describeOutput } from './describe-output';
import { sessionWriter } from './writer';
import type { DescribedColumn } from '../project/inferred-target';

/** What a token may read of one data source or pipe: the data source's row filter, the parameters the pipe pins. */
export interface Readable {
  /** A PIPES:READ scope grants it: read as a pipe, with `pinned`. */
  pipe?: boolean;
  /** A DATASOURCES:READ scope grants it: read as a data source, through `filter`. */
  datasource?: boolean;
  filter?: string;
  pinned?: Readonly<Record<string, unknown>>;
}

/** What a token may read through the Query API: everything (the admin token), or these data sources and pipes. */
export type ReadAccess = 'all' | ReadonlyMap<string, Readable>;

/** Who asks, for fair turns between tokens, and how they want 64-bit integers in JSON. */
export interface QueryCaller {
  /** One key per token (its name): callers take turns on the read sessions. */
  caller?: string;
  /** Tinybird's output_format_json_quote_64bit_integers=1: 64-bit integers as JSON strings. */
  quote64?: boolean;
}

/**
 * Runs a published pipe with `params` (fixed_params already applied) and answers in `format` (a PIPE_FORMATS key).
 * With `q`, runs that SQL over the pipe's result, which it can read as `_` and only as `_`.
 */
export async function readPipe(
  sessions: Sessions,
  project: ProjectSnapshot,
  pipe: Pipe,
  params: Record<string, unknown>,
  format: string,
  q: string | undefined,
  { caller = 'internal', quote64 = false }: QueryCaller,
): Promise<QueryOutput> {
  if (pipe.endpoint === undefined)
    throw new HttpError(404, `Pipe '${pipe.name}' has no endpoint node (TYPE endpoint)`, DOC.pipes);
  let clickhouseFormat = PIPE_FORMATS[format] ?? 'JSON';
  if (q === undefined) {
    // The template's max_threads()/disable() as SETTINGS: pipe sessions (readonly=2) take them; q= runs on readonly=1
    // sessions, which refuse any SETTINGS, so there they are not applied.
    const select = endpointSelect(project, pipe, pipe.endpoint, params);
    return sessions
      .pool('reader', quote64)
      .run(caller, (reader) => sessions.run(reader, select + templateSettings(select), clickhouseFormat, DOC.pipes));
  }
  // q reads the endpoint's result as `_`.
  const ctes = pipeCtes(project, pipe, pipe.endpoint, params, '_');
  return sessions.pool('sandbox', quote64).run(caller, async (sandbox) => {
    const guarded = await guardSql(sandbox, q, {
      allowed: new Set(['_']),
      existing: new Set([...sessions.tables, ...pipe.nodes.map((n) => n.name), ...project.pipes.keys()]),
      forbidden: (name) =>
        new HttpError(403, `The q parameter can only read the pipe's result as \`_\`, not ${name}`, DOC.pipes),
      documentation: DOC.pipes,
    });
    if (guarded.format !== undefined) clickhouseFormat = checkFormat(guarded.format, DOC.pipes);
    return sessions.run(sandbox, prependCtes(ctes, guarded.sql), clickhouseFormat, DOC.pipes);
  });
}

/** Words after which the output node cannot simply follow the other nodes' WITH: it is kept as a CTE of its own then. */
const OWN_CLAUSES = /\b(?:WITH|UNION|INTERSECT|EXCEPT|SETTINGS|FORMAT)\b/i;

/**
 * The SELECT of a pipe's output node: the nodes it reads as CTEs and the node itself as the query, which ClickHouse
 * plans one level shallower than `WITH ..., out AS (...) SELECT * FROM out` (0.4 ms of ~6 on top_airlines). A node
 * with a WITH, UNION, SETTINGS or FORMAT of its own keeps the nested form, where they cannot clash with ours.
 */
function endpointSelect(project: ProjectSnapshot, pipe: Pipe, last: number, params: Record<string, unknown>): string {
  const ctes = pipeCtes(project, pipe, last, params);
  const name = pipe.nodes[last]!.name;
  const head = `${quote(name)} AS (\n`;
  const output = ctes.at(-1) ?? '';
  const sql = output.slice(head.length, -'\n)'.length);
  if (!output.startsWith(head) || !output.endsWith('\n)') || OWN_CLAUSES.test(sql))
    return `WITH ${ctes.join(',\n')}\nSELECT * FROM ${quote(name)}`;
  // A new line after the node's text: a `-- comment` on its last line must not swallow the SETTINGS put after it.
  return ctes.length > 1 ? `WITH ${ctes.slice(0, -1).join(',\n')}\n${sql}\n` : `${sql}\n`;
}

/**
 * The columns `pipe`'s endpoint answers (names and ClickHouse types), its templates rendered with `params` (their
 * defaults when left out), as ClickHouse plans the query: what generated types are made from.
 */
export function describePipe(
  sessions: Sessions,
  project: ProjectSnapshot,
  pipe: Pipe,
  params: Record<string, unknown> = {},
): Promise<DescribedColumn[]> {
  if (pipe.endpoint === undefined)
    throw new HttpError(404, `Pipe '${pipe.name}' has no endpoint node (TYPE endpoint)`, DOC.pipes);
  const select = endpointSelect(project, pipe, pipe.endpoint, params);
  return sessions.pool('reader').run('internal', (reader) => describeOutput(sessionWriter(reader), select));
}

/**
 * Query API: `sql` read through `access` (filters applied wherever a data source is read). A pipe it reads as a
 * table runs with `params` (the request's other parameters); with `pipeline`, `_` is that pipe's result.
 */
export async function readSql(
  sessions: Sessions,
  project: ProjectSnapshot,
  sandbox: Session,
  sql: string,
  access: ReadAccess,
  { params = {}, pipeline }: { params?: Record<string, unknown>; pipeline?: string },
): Promise<QueryOutput> {
  const { pipes } = project;
  const tables = sessions.tables;
  const readable =
    access === 'all'
      ? new Set([...tables, ...pipes.keys(), ...sessions.serviceTables])
      : // Each scope grants what it names: a data source's filter cannot hold on a pipe, nor a pipe's pins on a table.
        new Set(
          [...access]
            .filter(([name, r]) => (r.datasource === true && tables.has(name)) || (r.pipe === true && pipes.has(name)))
            .map(([name]) => name),
        );
  const existing = new Set([...tables, ...pipes.keys(), ...SERVICE_TABLES]);
  const piped = pipeline === undefined ? undefined : pipes.get(pipeline);
  if (pipeline !== undefined) {
    if (!piped) throw new HttpError(404, `Pipe '${pipeline}' not found`, DOC.sql);
    if (!readable.has(pipeline)) throw new HttpError(403, `token has no READ scope for ${pipeline}`, DOC.sql);
    readable.add('_');
    // Only its result: its intermediate nodes are no more readable here than through the endpoint's q=.
    for (const node of piped.nodes) existing.add(node.name);
  }
  // A versioned resource (`x__v2`) is read by its bare name too, as the projects' own SQL tests do.
  const guarded = await guardSql(sandbox, rewriteSql(sql, versionedNames(existing)), {
    allowed: readable,
    existing,
    forbidden: (name) => {
      if (piped?.nodes.some((node) => node.name === name))
        return new HttpError(403, `${name} is a node of ${pipeline}: only its result can be read, as \`_\``, DOC.sql);
      if (access === 'all' && SERVICE_TABLES.has(name))
        return new HttpError(403, `${name} is read with the default workspace's admin token`, DOC.sql);
      return new HttpError(403, `token has no READ scope for ${name}`, DOC.sql);
    },
  });
  const format = guarded.format === undefined ? 'JSON' : checkFormat(guarded.format, DOC.sql);
  // Row-level security: every pipe the query reads renders with the parameters the token pins, never the request's.
  const pipesRead = [...guarded.tables, ...(pipeline === undefined ? [] : [pipeline])].filter((t) => pipes.has(t));
  const rendered = { ...params, ...pinnedParams(access, pipesRead) };
  const ctes: string[] = [];
  if (piped) ctes.push(...pipeCtes(project, piped, piped.endpoint ?? piped.nodes.length - 1, rendered, '_'));
  ctes.push(...ctesForQuery(project, guarded.tables, rendered).filter((cte) => !ctes.includes(cte)));
  if (access !== 'all') {
    for (const [name, { filter }] of access) {
      // A CTE named like the table shadows it everywhere in the query, subqueries included.
      if (filter !== undefined && name.includes('.'))
        // A CTE cannot stand in for `workspace.name`: the filter could not hold, so the query does not run.
        throw new HttpError(403, `the filter of ${name} cannot be applied to a shared data source here`, DOC.sql);
      // The table of this workspace's database: a workspace made over /v1 has its own, beside `default`'s.
      if (filter !== undefined && tables.has(name) && !pipes.has(name))
        ctes.push(`${quote(name)} AS (SELECT * FROM ${quote(sessions.database)}.${quote(name)} WHERE (${filter}))`);
    }
  }
  return sessions.run(sandbox, ctes.length > 0 ? prependCtes(ctes, guarded.sql) : guarded.sql, format, DOC.sql);
}

/** Number of rows in a table. */
export async function countRows(sessions: Sessions, table: string): Promise<number> {
  const result = await sessions
    .pool('reader')
    .run('internal', (reader) =>
      reader.queryAsync(`SELECT count() AS n FROM ${quoteTable(table)}`, { format: 'JSONEachRow' }),
    );
  return (JSON.parse(result.text()) as { n: number }).n;
}

/**
 * A delete condition checked like token holders' SQL, as the WHERE of a SELECT that reads `ds` alone, and given back
 * in ClickHouse's canonical text (what the delete then runs) with the number of rows it holds for.
 */
export async function checkedCondition(
  sessions: Sessions,
  project: ProjectSnapshot,
  ds: DataSource,
  condition: string,
): Promise<{ condition: string; rows: number }> {
  if (condition.trim() === '') throw new HttpError(400, 'delete_condition is mandatory', DOC.datasources);
  const notACondition = () =>
    new HttpError(400, 'delete_condition must be a SQL condition on the data source', DOC.datasources);
  const probe = (where: string) => `SELECT count() AS n FROM ${quoteTable(ds.name)} WHERE (${where})`;
  return sessions.pool('sandbox').run('internal', async (sandbox) => {
    const guard = (sql: string) =>
      guardSql(sandbox, sql, {
        allowed: new Set([ds.name]),
        existing: new Set([...sessions.tables, ...project.pipes.keys()]),
        forbidden: (name) =>
          new HttpError(400, `delete_condition can only read ${ds.name}, not ${name}`, DOC.datasources),
        documentation: DOC.datasources,
      });
    const guarded = await guard(probe(condition));
    const prefix = /^SELECT count\(\) AS n FROM (?:`[^`]+`|\w+)(?:\.(?:`[^`]+`|\w+))? WHERE /.exec(guarded.sql);
    if (guarded.format !== undefined || !prefix) throw notACondition();
    const canonical = guarded.sql.slice(prefix[0].length);
    // The canonical text is one expression only if wrapping it again reads the same: `1 UNION ALL SELECT ...` or
    // `1 GROUP BY x` would not, and must never reach the ALTER.
    if ((await guard(probe(canonical))).sql !== guarded.sql) throw notACondition();
    const out = await sessions.run(sandbox, guarded.sql, 'JSONEachRow', DOC.datasources);
    return { condition: canonical, rows: (JSON.parse(String(out.body)) as { n: number }).n };
  });
}

/**
 * The parameters the token pins on the pipes a query reads, merged: one set of parameters renders every pipe of the
 * query, so two pipes that pin one parameter to different values cannot be read together (403), or one of them would
 * render with the other's value.
 */
function pinnedParams(access: ReadAccess, pipes: readonly string[]): Record<string, unknown> {
  if (access === 'all') return {};
  const pinned: Record<string, unknown> = {};
  const by: Record<string, string> = {};
  for (const pipe of pipes) {
    for (const [key, value] of Object.entries(access.get(pipe)?.pinned ?? {})) {
      if (key in pinned && JSON.stringify(pinned[key]) !== JSON.stringify(value))
        throw new HttpError(
          403,
          `${by[key]} and ${pipe} pin ${key} to different values for this token: read them in separate queries`,
          DOC.sql,
        );
      pinned[key] = value;
      by[key] = pipe;
    }
  }
  return pinned;
}

/** Puts our CTEs in front of a canonical query, merging with its own WITH list when it has one. */
function prependCtes(ctes: string[], sql: string): string {
  return sql.startsWith('WITH ') ? `WITH ${ctes.join(',\n')},\n${sql.slice(5)}` : `WITH ${ctes.join(',\n')}\n${sql}`;
}
