// One project snapshot served by the chDB sessions: what the HTTP routes call. The sessions outlive a reload; an
// Engine is made for each snapshot (see runtime.ts), so a request reads one project from start to end.
import type { ChdbResult, Session } from 'chdb';
import type { DataSource, Pipe, ProjectSnapshot } from '../project/datafiles';
import type { DescribedColumn } from '../project/inferred-target';
import type { FileFormat } from './file-rows';
import type { AppendResult } from './ingest';
import {
  checkedCondition,
  countRows,
  describePipe,
  readPipe,
  readSql,
  type QueryCaller,
  type ReadAccess,
} from './reads';
import type { ServiceTable } from './service-log';
import type { QueryOutput, Sessions } from './sessions';
import { appendRows, copyPipe, deleteRows, importFile, truncateTable } from './writes';

export type { QueryCaller, ReadAccess, Readable } from './reads';
export type { QueryLimits, QueryOutput } from './sessions';

export class Engine {
  constructor(
    private readonly sessions: Sessions,
    /** The datafiles being served. */
    readonly project: ProjectSnapshot,
  ) {}

  /** Adds a row to a service data source (`tinybird.<table>`); rows are written in batches, within a second. */
  logService(table: ServiceTable, row: Record<string, unknown>): void {
    this.sessions.logService(table, row);
  }

  /** Runs a statement on the writer session (DDL, seeding). Writes are serialized. */
  exec(sql: string): Promise<ChdbResult> {
    return this.sessions.exec(sql);
  }

  /** Runs a write on the writer session, after the writes before it. */
  serialize<T>(work: (writer: Session) => Promise<T>): Promise<T> {
    return this.sessions.serialize(work);
  }

  /** Empties a table: a data source or its quarantine. */
  truncate(table: string): Promise<void> {
    return truncateTable(this.sessions, table);
  }

  /** Number of rows in a table. */
  count(table: string): Promise<number> {
    return this.sessions.use(() => countRows(this.sessions, table));
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
    return this.sessions.use(() => readPipe(this.sessions, this.project, pipe, params, format, q, who));
  }

  /** The columns `pipe`'s endpoint answers, names and ClickHouse types (see describePipe). */
  describe(pipe: Pipe, params: Record<string, unknown> = {}): Promise<DescribedColumn[]> {
    return this.sessions.use(() => describePipe(this.sessions, this.project, pipe, params));
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
    return this.sessions.use(() =>
      this.sessions
        .pool('sandbox', quote64)
        .run(caller, (sandbox) => readSql(this.sessions, this.project, sandbox, sql, access, options)),
    );
  }

  /** Runs a copy pipe once (see copyPipe). Returns the rows written. */
  copy(pipe: Pipe, params: Record<string, unknown>, mode = pipe.copy!.mode): Promise<number> {
    return copyPipe(this.sessions, this.project, pipe, params, mode);
  }

  /** Data Sources API: a file's rows into `ds`, appended or replacing the table's rows (see importFile). */
  importFile(ds: DataSource, format: FileFormat, bytes: Uint8Array, mode: 'append' | 'replace'): Promise<AppendResult> {
    return importFile(this.sessions, this.project, ds, format, bytes, mode);
  }

  /**
   * Data Sources API: deletes the rows of `ds` where `condition` holds (or only counts them). The condition is checked
   * like token holders' SQL, as the WHERE of a SELECT that reads `ds` alone, and its checked canonical text is what
   * the delete runs.
   */
  async deleteWhere(ds: DataSource, condition: string, dryRun: boolean): Promise<number> {
    const checked = await this.sessions.use(() => checkedCondition(this.sessions, this.project, ds, condition));
    if (!dryRun) await deleteRows(this.sessions, ds, checked.condition);
    return checked.rows;
  }

  /** Events API: NDJSON rows into `ds`; rows that do not fit go to `<name>_quarantine`. */
  append(ds: DataSource, ndjson: string): Promise<AppendResult> {
    return appendRows(this.sessions, ds, ndjson);
  }
}
