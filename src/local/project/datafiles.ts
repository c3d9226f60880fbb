// The model of a Tinybird project as the local server serves it: data sources, pipes and the datafiles it left out,
// read from the datafiles once (load-project.ts) and never changed after: a reload builds a new snapshot.
import type { JsonPath } from './json-path';
import { LocalServerError } from '../errors';

/**
 * A datafile that cannot be used: `file:line: what is wrong`. The server reports it at start (and in
 * `GET /v0/pipes`) and serves the rest; parsePipe() and parseDatasource() throw it.
 *
 * @example
 * ```ts
 * try {
 *   await startLocalServer({ project: 'tinybird' });
 * } catch (error) {
 *   if (error instanceof DatafileError) console.error(`${error.file}:${error.line}: ${error.problem}`);
 * }
 * ```
 */
export class DatafileError extends LocalServerError {
  override readonly name = 'DatafileError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super('INVALID_DATAFILE', `${file}:${line}: ${problem}`);
  }
}

export interface Column {
  readonly name: string;
  /** The ClickHouse type as written, e.g. `LowCardinality(String)`. */
  readonly type: string;
  /** Where the Events API reads the value in each JSON row (default `$.<name>`). */
  readonly jsonPath: JsonPath;
  /** `DEFAULT <expr>` as written, used when a row leaves the value out. */
  readonly default?: string;
  readonly codec?: string;
  readonly line: number;
}

/** A `TOKEN name READ|APPEND` line (other permissions, such as CREATE, are accepted and grant nothing here). */
export interface TokenLine {
  readonly name: string;
  readonly permission: 'READ' | 'APPEND';
  readonly line: number;
}

export interface DataSource {
  readonly kind: 'datasource';
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly columns: readonly Column[];
  /** `ENGINE*` settings by their suffix: `ENGINE` -> `engine`, `ENGINE_SORTING_KEY` -> `sorting_key`. */
  readonly engine: Readonly<Record<string, string>>;
  readonly tokens: readonly TokenLine[];
  /** Line of `SCHEMA >`, for errors about the table as a whole. */
  readonly line: number;
  /** The `.connection` its connector reads through (`KAFKA_CONNECTION_NAME`, `IMPORT_CONNECTION_NAME`), if any. */
  readonly connection?: { readonly name: string; readonly line: number };
}

export interface PipeNode {
  readonly name: string;
  readonly sql: string;
  readonly description?: string;
  readonly type?: string;
  /** `DATASOURCE <name>` in the node: the target of a materialized node. */
  readonly datasource?: string;
  /** TARGET_DATASOURCE, COPY_SCHEDULE and COPY_MODE in the node: a copy node's settings. */
  readonly copy?: {
    readonly target?: string;
    readonly schedule?: string;
    readonly mode?: string;
    readonly line: number;
  };
  /** `ENGINE*` lines in the node (a classic materialized node names its target's engine), by suffix. */
  readonly engine?: Readonly<Record<string, string>>;
  readonly line: number;
}

export interface Pipe {
  readonly kind: 'pipe';
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly nodes: readonly PipeNode[];
  /** Index in `nodes` of the `TYPE endpoint` node; undefined when the pipe is not published. */
  readonly endpoint?: number;
  /** The `TYPE materialized` node and the data source it writes to (`DATASOURCE <name>`). */
  readonly materialized?: { readonly node: number; readonly datasource: string };
  /** The `TYPE copy` node, its TARGET_DATASOURCE, COPY_SCHEDULE (a cron expression or '@on-demand') and COPY_MODE. */
  readonly copy?: {
    readonly node: number;
    readonly datasource: string;
    readonly schedule: string;
    readonly mode: 'append' | 'replace';
  };
  readonly tokens: readonly TokenLine[];
}

/** A datafile the server could not use, and why. */
export interface DatafileProblem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
  /** The data source or pipe the file defines. */
  readonly name: string;
  readonly kind: 'datasource' | 'pipe';
}

/**
 * A project as read from its datafiles, never changed once made: a reload (or the schema sync, which leaves out what
 * ClickHouse refused) makes a new one, so a request holds one consistent project from start to end.
 */
export interface ProjectSnapshot {
  readonly dir: string;
  readonly datasources: ReadonlyMap<string, DataSource>;
  readonly pipes: ReadonlyMap<string, Pipe>;
  /** Things that were ignored, worth printing once at start. */
  readonly warnings: readonly string[];
  /** Datafiles left out (a parse error, or ClickHouse refused them): the rest of the project serves. */
  readonly problems: readonly DatafileProblem[];
  /** What tb_secret() reads: the environment, then the project's .env.local and .env (see secrets.ts). */
  readonly secrets: ReadonlyMap<string, string>;
  /** A workspace built over /v1: its datafiles read its own data sources only (see reach.ts). */
  readonly confined?: boolean;
}

/** The name the rest of the server reads a snapshot by. */
export type Project = ProjectSnapshot;

/** A parser's answer: the datafile's value and what it ignored. */
export interface Parsed<T> {
  value: T;
  warnings: string[];
}

/** A datafile problem from the error that refused it. */
export function problemOf(kind: 'datasource' | 'pipe', name: string, error: DatafileError): DatafileProblem {
  return { file: error.file, line: error.line, problem: error.problem, name, kind };
}
