// The local server's ClickHouse (chDB): one writer session for tables and inserts, readonly=2 sessions for pipes
// (SQL from the datafiles) and readonly=1 sessions for SQL from token holders (`q=`, the Query API), which also
// refuse the table functions that reach the host (file(), url()...; numbers() still runs: the SQL guard refuses
// every table function). Read sessions come in small pools shared fairly between tokens, with a time and memory
// limit per query. All share one data directory, so data survives restarts. The sessions outlive reloads: a new
// project snapshot is served by the same sessions.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasSecondStatement, SecondStatementError } from './single-statement';
import type { ChdbResult, Session } from 'chdb';
import { isChdbClosed, LocalServerError, shuttingDown } from '../errors';
import { formatOutput, withRowsBeforeLimit } from './formats';
import { queryError } from './query-error';
import { Lane, QueryPool } from './query-pool';
import { ServiceLog, type ServiceTable } from './service-log';
import { SERVICE_TABLES, serviceTablesSql, staleServiceTablesSql } from './service-datasources';

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
 * The writer (tables, appends, materialized views) casts text to DateTime by ClickHouse's own default, the basic rules,
 * as Tinybird's tables are made: `DateTime64(3) DEFAULT ''` is then the zero time, where chDB's default (best_effort)
 * refuses the table. Reads keep best_effort: a DateTime compared with '2024-01-01 00:00:00.000' or an ISO text.
 */
const WRITER_ARGS = ['--cast_string_to_date_time_mode=basic'];

/**
 * Where data sources live: the current database, and one per workspace that shares data sources with this one
 * (`<workspace>.<name>`, named so in the tables' set). Not the server's own databases nor the service data sources.
 * A workspace created over /v1 (its own database, see workspaces.ts) sees its database only: never `default`.
 */
export const DATA_DATABASES =
  "(database = currentDatabase() OR (currentDatabase() = 'default' AND database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA', 'tinybird', 'organization') AND NOT startsWith(database, '_')))";
export const tableName = (column: string) =>
  `if(database = currentDatabase(), ${column}, concat(database, '.', ${column}))`;

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

export class Sessions {
  /** Tables in the database, for the SQL guard: set after each schema sync. */
  tables: ReadonlySet<string> = new Set();
  /**
   * The service data sources (`tinybird.pipe_stats_rt`...) the admin token may read. One `tinybird` database logs every
   * workspace's requests, so only the default workspace reads it: a workspace made over /v1 would see the others'
   * pipe and token names there.
   */
  serviceTables: ReadonlySet<string> = SERVICE_TABLES;
  /** The ClickHouse database these sessions work in: `default`, or a workspace's own (see workspaces.ts). */
  database = 'default';
  private closed = false;
  private readonly writer: Lane;
  /** Read pools: pipes (readonly=2) and token holders' SQL (readonly=1), each plain or quoting 64-bit integers. */
  private readonly pools = new Map<string, QueryPool>();
  private readonly serviceLog: ServiceLog;

  private constructor(
    writer: Session,
    private readonly openSession: (args: string[]) => Session,
    private readonly limits: Required<QueryLimits>,
    private readonly log: (message: string) => void,
    private readonly dataDir: string,
  ) {
    this.writer = new Lane(writer);
    this.serviceLog = new ServiceLog((table, rows) => this.writeServiceRows(table, rows), log);
  }

  /**
   * Opens (or creates) the database under `dataDir`, with the service data sources. `database` (a workspace of its
   * own, see workspaces.ts) makes every session of this set work in that ClickHouse database instead of `default`.
   */
  static async open(
    dataDir: string,
    log: (message: string) => void = () => {},
    limits: QueryLimits = {},
    database?: string,
    /** False when sessions of this data directory already made them (a sibling). */
    serviceTables = true,
  ): Promise<Sessions> {
    const { Session } = await loadChdb();
    const path = join(dataDir, 'chdb');
    await mkdir(path, { recursive: true });
    const openSession = (args: string[]) => {
      const session = oneStatementAtATime(new Session(path, { connectionArgs: [...BASE_ARGS, ...args] }));
      // chDB ignores a --database argument; USE holds for the session's later queries (readonly ones too).
      if (database !== undefined) {
        // The writer opens first and makes the database; readonly sessions may not.
        if (!args.some((a) => a.startsWith('--readonly')))
          session.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
        session.query(`USE \`${database}\``);
      }
      return session;
    };
    const bounds = {
      timeout: limits.timeout ?? 30,
      memory: limits.memory ?? 1024 ** 3,
      perToken: limits.perToken ?? 32,
      concurrency: limits.concurrency ?? 2,
    };
    let writer: Session;
    try {
      // The writer runs datafile SQL too (copies, materialized views on every insert, populates): bounded as well, so
      // that no copy or view runs without end or takes the process's memory. More loosely than a read (an import, a
      // populate or a build's copy of the rows is heavier), and never below the defaults.
      writer = openSession([
        ...WRITER_ARGS,
        `--max_execution_time=${Math.max(bounds.timeout * 10, 300)}`,
        `--max_memory_usage=${Math.max(bounds.memory, 1024 ** 3)}`,
      ]);
    } catch (error) {
      throw new LocalServerError(
        'CHDB_LOCKED',
        `chDB could not open ${path}: ${(error as Error).message}. chDB allows one data directory per process: close the other local server first, or use the same dataDir.`,
      );
    }
    const sessions = new Sessions(writer, openSession, bounds, log, dataDir);
    if (database !== undefined) {
      sessions.database = database;
      sessions.serviceTables = new Set();
    }
    try {
      if (serviceTables) {
        for (const statement of staleServiceTablesSql(await sessions.serviceColumns())) await sessions.exec(statement);
        for (const statement of serviceTablesSql()) await sessions.exec(statement);
      }
    } catch (error) {
      // Release the data directory: the caller may fix the problem and open it again in this process.
      await sessions.close();
      throw error;
    }
    return sessions;
  }

  /**
   * Sessions on the same data working in another `database` (a build made aside, see staged-build.ts), with the same
   * limits. Close them with `close(false)`.
   */
  sibling(database: string): Promise<Sessions> {
    return Sessions.open(this.dataDir, this.log, this.limits, database, false);
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
  pool(kind: 'reader' | 'sandbox', quote64 = false): QueryPool {
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
        size: this.limits.concurrency,
        perCaller: this.limits.perToken,
        waiting: 256,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The service data sources this data directory already holds (`database.table`), with their column names. */
  private async serviceColumns(): Promise<Map<string, string[]>> {
    const result = await this.exec(
      "SELECT concat(database, '.', table) AS t, arrayMap(c -> c.2, arraySort(groupArray((position, name)))) AS names FROM system.columns WHERE database IN ('tinybird', 'organization') GROUP BY t",
    );
    const rows = result
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; names: string[] });
    return new Map(rows.map((r) => [r.t, r.names]));
  }

  /** Re-reads the tables of the data databases (after the schema changed). */
  async refreshTables(): Promise<void> {
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

  /** Runs `work` unless close() began; a session closed under it is a 503 (the server is going away), not a 500. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw shuttingDown();
    try {
      return await work();
    } catch (error) {
      if (isChdbClosed(error)) throw shuttingDown();
      throw error;
    }
  }

  /** Runs a read on `session` and answers in `format`; a ClickHouse error becomes the HTTP error it stands for. */
  async run(session: Session, sql: string, format: string, documentation: string): Promise<QueryOutput> {
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
   * operations running on it finish, so this resolves once the data directory is really free. With `drain` false
   * (sessions beside others that stay open) it does not wait for that: the other sessions' queries would keep it
   * waiting.
   */
  async close(drain = true): Promise<void> {
    if (this.closed) return;
    await this.serviceLog.flush();
    this.closed = true;
    for (const pool of this.pools.values()) for (const session of pool.sessions) session.close();
    this.writer.session.close();
    if (drain) await (await loadChdb()).drainPending();
  }
}

/**
 * The session, refusing any text that holds a second statement (see single-statement.ts): every query of the server
 * goes through one of these, whatever built its text. Bound parameters (`queryBindAsync`) are never spliced, so only the
 * query texts are read.
 */
function oneStatementAtATime(session: Session): Session {
  const { query, queryAsync } = session;
  session.query = (sql, ...rest) => {
    if (hasSecondStatement(sql)) throw new SecondStatementError();
    return query.call(session, sql, ...rest);
  };
  session.queryAsync = (sql, ...rest) =>
    hasSecondStatement(sql) ? Promise.reject(new SecondStatementError()) : queryAsync.call(session, sql, ...rest);
  return session;
}
