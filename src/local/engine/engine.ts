// The local server's ClickHouse (chDB): one writer session for tables and inserts, readonly=2 sessions for pipes
// (SQL from the datafiles) and readonly=1 sessions for SQL from token holders (`q=`, the Query API), which also
// refuse the table functions that reach the host (file(), url()...; numbers() still runs: the SQL guard refuses
// every table function). Read sessions come in small pools shared fairly between tokens, with a time and memory
// limit per query. All share one data directory, so data survives restarts.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChdbResult, Session } from 'chdb';
import { DatafileError, refuse, type DataSource, type Pipe, type Project } from '../project/datafiles';
import { ctesForQuery, pipeCtes } from '../project/pipe-sql';
import { inferredTarget, refusedTarget, type DescribedColumn } from '../project/inferred-target';
import { createQuarantineSql, createTableSql, quarantineName, quote, quoteTable } from './ddl';
import { DOC, HttpError, isChdbClosed, LocalServerError, shuttingDown } from '../errors';
import { checkFormat, formatOutput, PIPE_FORMATS, withRowsBeforeLimit } from './formats';
import { insertByName, materializedInOrder, outputSelect } from './materialize';
import { queryError } from './query-error';
import type { FileFormat } from './file-rows';
import { importRows } from './import-rows';
import { ingestRows, type AppendResult } from './ingest';
import { Lane, QueryPool } from './query-pool';
import { ServiceLog, type ServiceTable } from './service-log';
import { serviceTablesSql, SERVICE_TABLES } from './service-datasources';
import { templateSettings } from '../template';
import { cleanMessage, guardSql } from './sql-guard';

/** What a token may read of one data source or pipe: the data source's row filter, the parameters the pipe pins. */
export interface Readable {
  filter?: string;
  pinned?: Readonly<Record<string, unknown>>;
}

/** What a token may read through the Query API: everything (the admin token), or these data sources and pipes. */
export type ReadAccess = 'all' | ReadonlyMap<string, Readable>;

export interface QueryOutput {
  /** Text, or bytes for binary formats (Parquet). */
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** How much one read query may take, and how many one caller may have in flight. */
export interface QueryLimits {
  /** Seconds a query may run before it is stopped with a 408. Default 30. */
  timeout?: number;
  /** Bytes of memory one query may use before it is stopped with a 400. Default 1 GiB. */
  memory?: number;
  /**
   * Queries one token may have waiting or running (per kind: pipes, SQL); more get a 429. Default 32: a dashboard of
   * widgets sharing one JWT fits.
   */
  perToken?: number;
  /** Read queries run side by side (sessions per kind). Default 2. */
  concurrency?: number;
}

/** Who asks, for fair turns between tokens, and how they want 64-bit integers in JSON. */
export interface QueryCaller {
  /** One key per token (its name): callers take turns on the read sessions. */
  caller?: string;
  /** Tinybird's output_format_json_quote_64bit_integers=1: 64-bit integers as JSON strings. */
  quote64?: boolean;
}

const BASE_ARGS = [
  '--output_format_json_quote_64bit_integers=0',
  '--session_timezone=UTC',
  '--async_load_databases=0',
  // Tinybird groups and sorts by JSON column paths (Dynamic values), which ClickHouse refuses by default.
  '--allow_suspicious_types_in_group_by=1',
  '--allow_suspicious_types_in_order_by=1',
  // ...and joins on them (`ON a.data.user_id = b.id`).
  '--allow_dynamic_type_in_join_keys=1',
  // Tinybird's ClickHouse lets a joined subquery or table function go without an alias (`FROM numbers(61) CROSS JOIN t`).
  '--joined_subquery_requires_alias=0',
  // ...and resolves `USING (x)` by the SELECT's alias x as well (`SELECT play_time AS date ... USING (date)`).
  '--analyzer_compatibility_join_using_top_level_identifier=1',
  // ...and joins as its `default` algorithm did, the left table on the left: a LEFT JOIN without ORDER BY comes in the
  // left table's order (a time series joined to its data), where newer ClickHouse's parallel hash join and side
  // swapping shuffle it.
  '--join_algorithm=direct,hash',
  '--query_plan_join_swap_table=false',
];

/**
 * Where data sources live: the current database, and one per workspace that shares data sources with this one
 * (`<workspace>.<name>`, named so in the tables' set). Not the server's own databases nor the service data sources.
 */
const DATA_DATABASES =
  "(database = currentDatabase() OR (database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA', 'tinybird', 'organization') AND NOT startsWith(database, '_')))";
const tableName = (column: string) => `if(database = currentDatabase(), ${column}, concat(database, '.', ${column}))`;

type Chdb = typeof import('chdb');

async function loadChdb(): Promise<Chdb> {
  try {
    return await import('chdb');
  } catch (error) {
    throw new LocalServerError(
      'CHDB_MISSING',
      `react-tinybird/local runs on chDB (embedded ClickHouse), which is not installed: run \`npm i -D chdb\` (Linux or macOS). (${(error as Error).message})`,
    );
  }
}

export class Engine {
  /** Tables in the database, for the SQL guard. */
  private tables = new Set<string>();
  private closed = false;
  private readonly writer: Lane;
  /** Read pools: pipes (readonly=2) and token holders' SQL (readonly=1), each plain or quoting 64-bit integers. */
  private readonly pools = new Map<string, QueryPool>();
  private readonly serviceLog: ServiceLog;

  private constructor(
    private current: Project,
    writer: Session,
    private readonly openSession: (args: string[]) => Session,
    private readonly limits: Required<QueryLimits>,
    log: (message: string) => void,
  ) {
    this.writer = new Lane(writer);
    this.serviceLog = new ServiceLog((table, rows) => this.writeServiceRows(table, rows), log);
  }

  /** Adds a row to a service data source (`tinybird.<table>`); rows are written in batches, within a second. */
  logService(table: ServiceTable, row: Record<string, unknown>): void {
    if (!this.closed) this.serviceLog.record(table, row);
  }

  private writeServiceRows(table: ServiceTable, rows: Array<Record<string, unknown>>): Promise<void> {
    const values = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return this.serialize(async (writer) => {
      await writer.insert({ table: `tinybird.${table}`, values, format: 'JSONEachRow' });
    });
  }

  /** The pool for pipes (`reader`) or token holders' SQL (`sandbox`); quoted ones open on first use. */
  private pool(kind: 'reader' | 'sandbox', quote64 = false): QueryPool {
    const key = `${kind}${quote64 ? ':quoted' : ''}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const args = [
        `--readonly=${kind === 'reader' ? 2 : 1}`,
        `--max_execution_time=${this.limits.timeout}`,
        `--max_memory_usage=${this.limits.memory}`,
        ...(quote64 ? ['--output_format_json_quote_64bit_integers=1'] : []),
      ];
      pool = new QueryPool(() => this.openSession(args), {
        size: quote64 ? 1 : this.limits.concurrency,
        perCaller: this.limits.perToken,
        waiting: 256,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Opens (or creates) the database under `dataDir` and creates the project's tables. */
  static async open(
    dataDir: string,
    project: Project,
    log: (message: string) => void = () => {},
    limits: QueryLimits = {},
  ): Promise<Engine> {
    const { Session } = await loadChdb();
    const path = join(dataDir, 'chdb');
    await mkdir(path, { recursive: true });
    const openSession = (args: string[]) => new Session(path, { connectionArgs: [...BASE_ARGS, ...args] });
    let writer: Session;
    try {
      writer = openSession([]);
    } catch (error) {
      throw new LocalServerError(
        'CHDB_LOCKED',
        `chDB could not open ${path}: ${(error as Error).message}. chDB allows one data directory per process: close the other local server first, or use the same dataDir.`,
      );
    }
    const engine = new Engine(
      project,
      writer,
      openSession,
      {
        timeout: limits.timeout ?? 30,
        memory: limits.memory ?? 1024 ** 3,
        perToken: limits.perToken ?? 32,
        concurrency: limits.concurrency ?? 2,
      },
      log,
    );
    try {
      for (const statement of serviceTablesSql()) await engine.exec(statement);
      await engine.createTables(project, log);
    } catch (error) {
      // Release the data directory: the caller may fix the datafile and open it again in this process.
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** The datafiles being served. */
  get project(): Project {
    return this.current;
  }

  /**
   * Serves `project` from now on (the datafiles changed): creates its new tables, recreates those whose schema changed
   * (their rows are dropped, as at startup) and leaves the others, with their rows, alone.
   */
  async useProject(project: Project, log: (message: string) => void): Promise<void> {
    await this.createTables(project, log);
    this.current = project;
  }

  private async createTables(project: Project, log: (message: string) => void): Promise<void> {
    const existing = await this.columnsByTable();
    const workspaces = new Set(
      [...project.datasources.keys()].filter((n) => n.includes('.')).map((n) => n.split('.')[0]!),
    );
    for (const workspace of workspaces) await this.exec(`CREATE DATABASE IF NOT EXISTS ${quote(workspace)}`);
    for (const ds of [...project.datasources.values()]) await this.ensureTable(project, ds, existing, log);
    for (const ds of await this.inferTargets(project)) await this.ensureTable(project, ds, existing, log);
    await this.createMaterializedViews(project, log);
    await this.refreshTables();
  }

  /** Creates the table of `ds` and its quarantine, or recreates it when its columns changed. */
  private async ensureTable(
    project: Project,
    ds: DataSource,
    existing: Map<string, string>,
    log: (message: string) => void,
  ): Promise<void> {
    const wanted = ds.columns.map((c) => `${c.name} ${c.type}`.replace(/\s+/g, '')).join(',');
    const have = existing.get(ds.name);
    try {
      if (have !== undefined && have !== wanted) {
        log(`The schema of ${ds.name} changed in ${ds.file}: the table was recreated and its old rows dropped.`);
        await this.exec(`DROP TABLE ${quoteTable(ds.name)}`);
        await this.exec(`DROP TABLE IF EXISTS ${quoteTable(quarantineName(ds.name))}`);
      }
      if (have === undefined || have !== wanted) await this.createTable(ds, createTableSql(ds));
      await this.createTable(ds, createQuarantineSql(ds));
    } catch (error) {
      if (!(error instanceof DatafileError)) throw error;
      // One refused data source leaves the rest serving; it is reported with the other problems.
      refuse(project, 'datasource', ds.name, error);
    }
  }

  /**
   * The targets of materialized pipes that no .datasource file declares, made from what each node returns (see
   * inferredTarget) and added to the project. A node that cannot be described leaves its pipe out.
   */
  private async inferTargets(project: Project): Promise<DataSource[]> {
    const inferred: DataSource[] = [];
    for (const pipe of [...project.pipes.values()]) {
      if (!pipe.materialized || project.datasources.has(pipe.materialized.datasource)) continue;
      const refused = refusedTarget(pipe, project.problems);
      if (refused) {
        refuse(project, 'pipe', pipe.name, refused);
        continue;
      }
      const node = pipe.nodes[pipe.materialized.node]!;
      try {
        const select = outputSelect(project, pipe, pipe.materialized.node);
        const described = (await this.exec(`DESCRIBE TABLE (${select})`))
          .text()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as DescribedColumn);
        const ds = inferredTarget(pipe, described);
        project.datasources.set(ds.name, ds);
        inferred.push(ds);
      } catch (error) {
        const problem = `node "${node.name}" materializes into "${pipe.materialized.datasource}", which no .datasource file defines, and its columns could not be read: ${cleanMessage(error)}`;
        refuse(project, 'pipe', pipe.name, new DatafileError(pipe.file, node.line, problem));
      }
    }
    return inferred;
  }

  /**
   * A materialized pipe becomes a ClickHouse materialized view named after the pipe, writing into its DATASOURCE on
   * every insert into the table it reads. The views are dropped and made again on every (re)load, in one writer step so
   * no insert slips between the two; a target that is empty then (new, or recreated for a new schema) is filled from the
   * rows already there, as Tinybird's populate does.
   */
  private async createMaterializedViews(project: Project, log: (message: string) => void): Promise<void> {
    await this.serialize(async (writer) => {
      const rows = async (sql: string) =>
        (await writer.queryAsync(sql, { format: 'JSONEachRow' }))
          .text()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const views = await rows(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
      );
      for (const { name } of views) await writer.queryAsync(`DROP VIEW ${quote(String(name))}`);
      for (const { pipe, select } of materializedInOrder(project, (pipe, error) =>
        refuse(project, 'pipe', pipe.name, error),
      )) {
        const { node, datasource } = pipe.materialized!;
        let n: unknown;
        try {
          // Inside the try: a target ClickHouse refused is a refused pipe, not a server that cannot start.
          [{ n } = { n: 0 }] = await rows(`SELECT count() AS n FROM ${quoteTable(datasource)}`);
          await writer.queryAsync(
            `CREATE MATERIALIZED VIEW ${quote(pipe.name)} TO ${quoteTable(datasource)} AS ${select}`,
          );
          if (Number(n) === 0) await writer.queryAsync(await insertByName(writer, datasource, select));
        } catch (error) {
          const at = pipe.nodes[node]!;
          await writer.queryAsync(`DROP VIEW IF EXISTS ${quote(pipe.name)}`).catch(() => undefined);
          const problem = `ClickHouse refused the materialized node "${at.name}": ${cleanMessage(error)}`;
          refuse(project, 'pipe', pipe.name, new DatafileError(pipe.file, at.line, problem));
          continue;
        }
        const [{ n: filled } = { n: 0 }] =
          Number(n) === 0 ? await rows(`SELECT count() AS n FROM ${quoteTable(datasource)}`) : [];
        if (Number(filled) > 0)
          log(
            `${pipe.name} materializes into ${datasource}: filled it with ${String(filled)} rows from the data already stored.`,
          );
      }
    });
  }

  private async createTable(ds: DataSource, sql: string): Promise<void> {
    try {
      await this.exec(sql);
    } catch (error) {
      throw new DatafileError(ds.file, ds.line, `ClickHouse refused the table: ${cleanMessage(error)}`);
    }
  }

  private async columnsByTable(): Promise<Map<string, string>> {
    const result = await this.exec(
      `SELECT table, arrayStringConcat(groupArray(concat(name, ' ', type)), ',') AS cols FROM (SELECT ${tableName('table')} AS table, name, type FROM system.columns WHERE ${DATA_DATABASES} ORDER BY table, position) GROUP BY table`,
    );
    const map = new Map<string, string>();
    for (const line of result.text().split('\n')) {
      if (line.trim() === '') continue;
      const { table, cols } = JSON.parse(line) as { table: string; cols: string };
      map.set(table, cols.replace(/\s+/g, ''));
    }
    return map;
  }

  private async refreshTables(): Promise<void> {
    const result = await this.exec(`SELECT ${tableName('name')} AS name FROM system.tables WHERE ${DATA_DATABASES}`);
    this.tables = new Set(
      result
        .text()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { name: string }).name),
    );
  }

  /** Runs a statement on the writer session (DDL, seeding). Writes are serialized. */
  exec(sql: string): Promise<ChdbResult> {
    return this.serialize((writer) => writer.queryAsync(sql, { format: 'JSONEachRow' }));
  }

  /** Runs a write on the writer session, after the writes before it. */
  serialize<T>(work: (writer: Session) => Promise<T>): Promise<T> {
    // A write queued before close() may reach the front after it: it gets the 503 too, not a closed session.
    return this.writer.run((writer) => this.use(() => work(writer)));
  }

  /** Empties a table: a data source or its quarantine. */
  async truncate(table: string): Promise<void> {
    await this.exec(`TRUNCATE TABLE ${quoteTable(table)}`);
  }

  /** Number of rows in a table. */
  count(table: string): Promise<number> {
    return this.use(async () => {
      const result = await this.pool('reader').run('internal', (reader) =>
        reader.queryAsync(`SELECT count() AS n FROM ${quoteTable(table)}`, { format: 'JSONEachRow' }),
      );
      return (JSON.parse(result.text()) as { n: number }).n;
    });
  }

  /** Runs `work` unless close() began; a session closed under it is a 503 (the server is going away), not a 500. */
  private async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw shuttingDown();
    try {
      return await work();
    } catch (error) {
      if (isChdbClosed(error)) throw shuttingDown();
      throw error;
    }
  }

  /**
   * Runs a published pipe with `params` (fixed_params already applied) and answers in `format` (a PIPE_FORMATS key).
   * With `q`, runs that SQL over the pipe's result, which it can read as `_` and only as `_`.
   */
  pipe(
    pipe: Pipe,
    params: Record<string, unknown>,
    format: string,
    q?: string,
    who: QueryCaller = {},
  ): Promise<QueryOutput> {
    return this.use(() => this.runPipe(pipe, params, format, q, who));
  }

  private async runPipe(
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
      const select = outputSelect(this.project, pipe, pipe.endpoint, params);
      return this.pool('reader', quote64).run(caller, (reader) =>
        this.run(reader, select + templateSettings(select), clickhouseFormat, DOC.pipes),
      );
    }
    // q reads the endpoint's result as `_`.
    const ctes = pipeCtes(this.project, pipe, pipe.endpoint, params, '_');
    return this.pool('sandbox', quote64).run(caller, async (sandbox) => {
      const guarded = await guardSql(sandbox, q, {
        allowed: new Set(['_']),
        existing: new Set([...this.tables, ...pipe.nodes.map((n) => n.name), ...this.project.pipes.keys()]),
        forbidden: (name) =>
          new HttpError(403, `The q parameter can only read the pipe's result as \`_\`, not ${name}`, DOC.pipes),
        documentation: DOC.pipes,
      });
      if (guarded.format !== undefined) clickhouseFormat = checkFormat(guarded.format, DOC.pipes);
      return this.run(sandbox, prependCtes(ctes, guarded.sql), clickhouseFormat, DOC.pipes);
    });
  }

  /**
   * Runs a copy pipe once: the result of its nodes (templates rendered with `params`) goes into its target data source.
   * `append` adds it; `replace` fills a copy of the table and swaps it in, so a failing query leaves the old rows. One
   * writer step: no append lands in the middle. Returns the rows written.
   */
  async copy(pipe: Pipe, params: Record<string, unknown>, mode = pipe.copy!.mode): Promise<number> {
    const { node, datasource } = pipe.copy!;
    const select = outputSelect(this.project, pipe, node, params);
    const target = quoteTable(datasource);
    const scratch = quoteTable(`${datasource}__copy`);
    const into = mode === 'replace' ? scratch : target;
    return this.serialize(async (writer) => {
      const run = (sql: string) => writer.queryAsync(sql, { format: 'JSONEachRow' });
      const count = async (table: string) =>
        (JSON.parse((await run(`SELECT count() AS n FROM ${table}`)).text()) as { n: number }).n;
      if (mode === 'replace') {
        await run(`DROP TABLE IF EXISTS ${scratch}`);
        await run(`CREATE TABLE ${scratch} AS ${target}`);
      }
      const before = mode === 'replace' ? 0 : await count(target);
      try {
        await run(`INSERT INTO ${into} ${select}`);
      } catch (error) {
        if (mode === 'replace') await run(`DROP TABLE IF EXISTS ${scratch}`).catch(() => undefined);
        throw new HttpError(400, `The copy pipe ${pipe.name} failed: ${cleanMessage(error)}`, DOC.pipes);
      }
      const written = (await count(into)) - before;
      if (mode === 'replace') {
        await run(`EXCHANGE TABLES ${target} AND ${scratch}`);
        await run(`DROP TABLE ${scratch}`);
      }
      return written;
    });
  }

  /**
   * Query API: `sql` read through `access` (filters applied wherever a data source is read). A pipe it reads as a
   * table runs with `params` (the request's other parameters); with `pipeline`, `_` is that pipe's result.
   */
  sql(
    sql: string,
    access: ReadAccess,
    options: QueryCaller & { params?: Record<string, unknown>; pipeline?: string } = {},
  ): Promise<QueryOutput> {
    const { caller = 'internal', quote64 = false } = options;
    return this.use(() =>
      this.pool('sandbox', quote64).run(caller, (sandbox) => this.runSql(sandbox, sql, access, options)),
    );
  }

  private async runSql(
    sandbox: Session,
    sql: string,
    access: ReadAccess,
    { params = {}, pipeline }: { params?: Record<string, unknown>; pipeline?: string },
  ): Promise<QueryOutput> {
    const pipes = this.project.pipes;
    const readable =
      access === 'all'
        ? new Set([...this.tables, ...pipes.keys(), ...SERVICE_TABLES])
        : new Set([...access.keys()].filter((name) => this.tables.has(name) || pipes.has(name)));
    const existing = new Set([...this.tables, ...pipes.keys()]);
    const piped = pipeline === undefined ? undefined : pipes.get(pipeline);
    if (pipeline !== undefined) {
      if (!piped) throw new HttpError(404, `Pipe '${pipeline}' not found`, DOC.sql);
      if (!readable.has(pipeline)) throw new HttpError(403, `token has no READ scope for ${pipeline}`, DOC.sql);
      readable.add('_');
      // Only its result: its intermediate nodes are no more readable here than through the endpoint's q=.
      for (const node of piped.nodes) existing.add(node.name);
    }
    const guarded = await guardSql(sandbox, sql, {
      allowed: readable,
      existing,
      forbidden: (name) =>
        piped?.nodes.some((node) => node.name === name)
          ? new HttpError(403, `${name} is a node of ${pipeline}: only its result can be read, as \`_\``, DOC.sql)
          : new HttpError(403, `token has no READ scope for ${name}`, DOC.sql),
    });
    const format = guarded.format === undefined ? 'JSON' : checkFormat(guarded.format, DOC.sql);
    // Row-level security: every pipe the query reads renders with the parameters the token pins, never the request's.
    const pipesRead = [...guarded.tables, ...(pipeline === undefined ? [] : [pipeline])].filter((t) => pipes.has(t));
    const rendered = { ...params, ...pinnedParams(access, pipesRead) };
    const ctes: string[] = [];
    if (piped) ctes.push(...pipeCtes(this.project, piped, piped.endpoint ?? piped.nodes.length - 1, rendered, '_'));
    ctes.push(...ctesForQuery(this.project, guarded.tables, rendered).filter((cte) => !ctes.includes(cte)));
    if (access !== 'all') {
      for (const [name, { filter }] of access) {
        // A CTE named like the table shadows it everywhere in the query, subqueries included.
        if (filter !== undefined && name.includes('.'))
          // A CTE cannot stand in for `workspace.name`: the filter could not hold, so the query does not run.
          throw new HttpError(403, `the filter of ${name} cannot be applied to a shared data source here`, DOC.sql);
        if (filter !== undefined && this.tables.has(name) && !pipes.has(name))
          ctes.push(`${quote(name)} AS (SELECT * FROM default.${quote(name)} WHERE (${filter}))`);
      }
    }
    return this.run(sandbox, ctes.length > 0 ? prependCtes(ctes, guarded.sql) : guarded.sql, format, DOC.sql);
  }

  /**
   * Data Sources API: a file's rows into `ds`. `append` adds them; `replace` fills a copy of the table and swaps it in,
   * so a failure leaves the old rows, and so does a file without one good row. One writer step.
   */
  importFile(ds: DataSource, format: FileFormat, bytes: Uint8Array, mode: 'append' | 'replace'): Promise<AppendResult> {
    return this.serialize(async (writer) => {
      if (mode === 'append') return importRows(writer, ds, format, bytes);
      const run = (sql: string) => writer.queryAsync(sql, { format: 'JSONEachRow' });
      const target = quoteTable(ds.name);
      const scratch = quoteTable(`${ds.name}__replace`);
      await run(`DROP TABLE IF EXISTS ${scratch}`);
      await run(`CREATE TABLE ${scratch} AS ${target}`);
      try {
        const result = await importRows(writer, ds, format, bytes, `${ds.name}__replace`);
        if (result.successful_rows > 0) {
          await run(`EXCHANGE TABLES ${target} AND ${scratch}`);
          await this.repopulateFrom(writer, ds.name);
        }
        return result;
      } finally {
        await run(`DROP TABLE IF EXISTS ${scratch}`);
      }
    });
  }

  /**
   * After a replace of `changed`, the targets of the materialized pipes that read it (and of those that read them) are
   * computed again from the new rows, as Tinybird's replace cascades: each is emptied, then refilled by every pipe
   * that writes into it. Upstream first, so a chain ends with what its sources now hold.
   */
  private async repopulateFrom(writer: Session, changed: string): Promise<void> {
    const views = materializedInOrder(this.project, () => undefined);
    const stale = new Set([changed]);
    const targets: string[] = [];
    for (const { pipe, reads } of views) {
      const target = pipe.materialized!.datasource;
      if (reads.some((table) => stale.has(table)) && !stale.has(target)) {
        stale.add(target);
        targets.push(target);
      }
    }
    for (const target of targets) {
      await writer.queryAsync(`TRUNCATE TABLE ${quoteTable(target)}`);
      for (const { pipe, select } of views)
        if (pipe.materialized!.datasource === target)
          await writer.queryAsync(await insertByName(writer, target, select));
    }
  }

  /**
   * Data Sources API: deletes the rows of `ds` where `condition` holds (or only counts them). The condition is checked
   * like token holders' SQL, as the WHERE of a SELECT that reads `ds` alone, before it reaches the writer.
   */
  async deleteWhere(ds: DataSource, condition: string, dryRun: boolean): Promise<number> {
    if (condition.trim() === '') throw new HttpError(400, 'delete_condition is mandatory', DOC.datasources);
    const table = quoteTable(ds.name);
    const probe = `SELECT count() AS n FROM ${table} WHERE (${condition})`;
    const rows = await this.use(() =>
      this.pool('sandbox').run('internal', async (sandbox) => {
        const guarded = await guardSql(sandbox, probe, {
          allowed: new Set([ds.name]),
          existing: new Set([...this.tables, ...this.project.pipes.keys()]),
          forbidden: (name) =>
            new HttpError(400, `delete_condition can only read ${ds.name}, not ${name}`, DOC.datasources),
          documentation: DOC.datasources,
        });
        if (guarded.format !== undefined || !/^SELECT count\(\) AS n FROM `?\w+`? WHERE /.test(guarded.sql))
          throw new HttpError(400, 'delete_condition must be a SQL condition on the data source', DOC.datasources);
        const out = await this.run(sandbox, guarded.sql, 'JSONEachRow', DOC.datasources);
        return (JSON.parse(String(out.body)) as { n: number }).n;
      }),
    );
    if (dryRun) return rows;
    await this.serialize(async (writer) => {
      try {
        await writer.queryAsync(`ALTER TABLE ${table} DELETE WHERE (${condition}) SETTINGS mutations_sync = 1`);
      } catch (error) {
        throw queryError(error, DOC.datasources);
      }
    });
    return rows;
  }

  /** Events API: NDJSON rows into `ds`; rows that do not fit go to `<name>_quarantine`. */
  append(ds: DataSource, ndjson: string): Promise<AppendResult> {
    return this.serialize((writer) => ingestRows(writer, ds, ndjson));
  }

  private async run(session: Session, sql: string, format: string, documentation: string): Promise<QueryOutput> {
    let result: ChdbResult;
    try {
      result = await session.queryAsync(sql, { format });
    } catch (error) {
      throw queryError(error, documentation);
    }
    const { contentType, binary } = formatOutput(format);
    if (binary) return { body: new Uint8Array(result.bytes()), contentType };
    let body = result.text();
    if (format === 'JSON') body = withRowsBeforeLimit(body);
    return { body, contentType };
  }

  /**
   * Refuses new work with 503 and releases the sessions. chDB defers the native teardown of a session until the
   * operations running on it finish, so this resolves once the data directory is really free.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.serviceLog.flush();
    this.closed = true;
    for (const pool of this.pools.values()) for (const session of pool.sessions) session.close();
    this.writer.session.close();
    await (await loadChdb()).drainPending();
  }
}

/** Puts our CTEs in front of a canonical query, merging with its own WITH list when it has one. */
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

function prependCtes(ctes: string[], sql: string): string {
  return sql.startsWith('WITH ') ? `WITH ${ctes.join(',\n')},\n${sql.slice(5)}` : `WITH ${ctes.join(',\n')}\n${sql}`;
}
