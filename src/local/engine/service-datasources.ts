// Tinybird's service data sources: `tinybird.pipe_stats_rt`, `tinybird.datasources_ops_log`... that pipes and the Query
// API read to watch a workspace (and `organization.*`, the same per workspace of an organization). Projects ship
// endpoints over them (ingestion logs, endpoint latency), so they exist here with Tinybird's columns; the local server
// writes its own requests and appends into pipe_stats_rt and datasources_ops_log (see ServiceLog), the others stay empty.

/** Columns of each service data source, as Tinybird documents them. */
const WORKSPACE_TABLES: Record<string, string> = {
  pipe_stats_rt: `start_datetime DateTime, pipe_id String, pipe_name String, duration Float32, read_bytes UInt64,
    read_rows UInt64, result_rows UInt64, url Nullable(String), error UInt8, request_id String, token String,
    token_name String, status_code Int32, method LowCardinality(String), parameters Map(String, String),
    release String, user_agent Nullable(String), resource_tags Array(String), cpu_time Float32, memory_usage UInt64`,
  pipe_stats: `date Date, pipe_id String, pipe_name String, view_count UInt64, error_count UInt64,
    avg_duration_state AggregateFunction(avg, Float32),
    quantile_timing_state AggregateFunction(quantilesTiming(0.9, 0.95, 0.99), Float64), read_bytes_sum UInt64,
    read_rows_sum UInt64, resource_tags Array(String)`,
  bi_stats_rt: `start_datetime DateTime, query_id String, query String, query_normalized String, error_code Int32,
    error String, duration UInt64, read_rows UInt64, read_bytes UInt64, result_rows UInt64, result_bytes UInt64`,
  bi_stats: `date Date, database String, query_normalized String, view_count UInt64, error_count UInt64,
    avg_duration_state AggregateFunction(avg, Float32),
    quantile_timing_state AggregateFunction(quantilesTiming(0.9, 0.95, 0.99), Float64),
    read_bytes_sum UInt64, read_rows_sum UInt64, avg_result_rows_state AggregateFunction(avg, Float32),
    avg_result_bytes_state AggregateFunction(avg, Float32)`,
  datasources_ops_log: `timestamp DateTime, event_type LowCardinality(String), datasource_id String,
    datasource_name String, result LowCardinality(String), elapsed_time Float32, error Nullable(String),
    request_id String, import_id Nullable(String), job_id Nullable(String), rows Nullable(UInt64),
    rows_quarantine Nullable(UInt64), blocks_ids Array(String), Options Nested(Names String, Values String),
    pipe_id String, pipe_name String, read_rows UInt64, read_bytes UInt64, written_rows UInt64,
    written_bytes UInt64, written_rows_quarantine UInt64, written_bytes_quarantine UInt64, operation_id String,
    release String, resource_tags Array(String), cpu_time Float32, memory_usage UInt64`,
  datasources_storage: `timestamp DateTime, datasource_id String, datasource_name String, bytes UInt64, rows UInt64,
    bytes_quarantine UInt64, rows_quarantine UInt64`,
  block_log: `timestamp DateTime, import_id String, job_id Nullable(String), request_id String, source String,
    token_id String, block_id String, status String, datasource_id String, datasource_name String,
    start_offset Nullable(Int64), end_offset Nullable(Int64), rows Nullable(Int32), parser Nullable(String),
    quarantine_lines Nullable(UInt32), empty_lines Nullable(UInt32), bytes Nullable(UInt32),
    processing_time Nullable(Float32), processing_error Nullable(String)`,
  kafka_ops_log: `timestamp DateTime, datasource_id String, topic String, partition Int16, msg_type String,
    lag Int64, processed_messages Int32, processed_bytes Int32, committed_messages Int32, msg String`,
  endpoint_errors: `start_datetime DateTime, request_id String, pipe_id String, pipe_name String,
    params Nullable(String), url Nullable(String), status_code Nullable(Int32), error Nullable(String),
    resource_tags Array(String)`,
  // Tinybird's columns: `started_at`, and `job_metadata` as a JSON text that pipes read with JSONExtract*.
  jobs_log: `job_id String, job_type String, workspace_id String, pipe_id String, pipe_name String,
    datasource_id String, datasource_name String, request_id String, created_at DateTime, updated_at DateTime,
    started_at DateTime, status String, error Nullable(String), job_metadata String`,
  sinks_ops_log: `timestamp DateTime, service LowCardinality(String), pipe_id String, pipe_name String,
    token_name String, result LowCardinality(String), error Nullable(String), elapsed_time Float64, job_id String,
    read_rows UInt64, written_rows UInt64, read_bytes UInt64, written_bytes UInt64, output Array(String),
    parameters Map(String, String), options Map(String, String)`,
};

/** Organization-level tables: the workspace ones with the workspace they belong to, and the workspaces. */
const ORGANIZATION_ONLY: Record<string, string> = {
  workspaces: `workspace_id String, name String, deleted_at Nullable(DateTime), created_at Nullable(DateTime),
    organization_id Nullable(String), plan String`,
  datasources_ops_stats: `event_date Date, workspace_id String, event_type String, pipe_id String, pipe_name String,
    error_count UInt64, executions UInt64, avg_elapsed_time_state AggregateFunction(avg, Float32),
    quantiles_state AggregateFunction(quantiles(0.9, 0.95, 0.99), Float32), read_bytes UInt64,
    read_rows UInt64, written_rows UInt64, written_bytes UInt64, written_rows_quarantine UInt64,
    written_bytes_quarantine UInt64`,
};

/** The databases and their tables, as `database.table` names. */
export const SERVICE_TABLES: ReadonlySet<string> = new Set([
  ...Object.keys(WORKSPACE_TABLES).map((t) => `tinybird.${t}`),
  ...[...Object.keys(WORKSPACE_TABLES), ...Object.keys(ORGANIZATION_ONLY)].map((t) => `organization.${t}`),
]);

/** A time column for each table, to order it by and to expire rows after 7 days, as Tinybird's logs do. */
function timeColumn(columns: string): string | undefined {
  return /(?:^|,)\s*(start_datetime|timestamp|created_at|date|event_date) (?:DateTime|Date)\b/.exec(columns)?.[1];
}

function createTable(database: string, name: string, columns: string): string {
  const time = timeColumn(columns);
  const ttl = time && /_rt$|_log$/.test(name) ? ` TTL toDateTime(${time}) + INTERVAL 7 DAY` : '';
  return `CREATE TABLE IF NOT EXISTS ${database}.${name} (${columns.replace(/\s+/g, ' ')}) ENGINE = MergeTree ORDER BY ${time ?? 'tuple()'}${ttl}`;
}

/** An organization-level table: the workspace one with the workspace it belongs to (jobs_log names it already). */
const withWorkspace = (columns: string) =>
  /(?:^|,)\s*workspace_id /.test(columns) ? columns : `workspace_id String, ${columns}`;

/** Each service data source (`database.table`) with its column names, in order. */
function expectedColumns(): Map<string, string[]> {
  // system.columns lists a Nested column as its subcolumns: `Options.Names`, `Options.Values`.
  const names = (columns: string) =>
    splitColumns(columns).flatMap((column) => {
      const [, name = '', nested] = /^\s*(\S+)\s+(?:Nested\((.*)\))?/s.exec(column) ?? [];
      return nested === undefined ? [name] : splitColumns(nested).map((c) => `${name}.${c.trim().split(/\s+/)[0]}`);
    });
  const out = new Map<string, string[]>();
  for (const [name, columns] of Object.entries(WORKSPACE_TABLES)) {
    out.set(`tinybird.${name}`, names(columns));
    out.set(`organization.${name}`, names(withWorkspace(columns)));
  }
  for (const [name, columns] of Object.entries(ORGANIZATION_ONLY)) out.set(`organization.${name}`, names(columns));
  return out;
}

/** Column definitions split at the commas outside parentheses (`Map(String, String)` is one column). */
function splitColumns(columns: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(columns.slice(start, i));
      start = i + 1;
    }
  }
  out.push(columns.slice(start));
  return out;
}

/**
 * The statements that drop service data sources a data directory holds with other columns than this server's (made by
 * an older version): CREATE TABLE IF NOT EXISTS would keep them, and pipes reading the new columns would fail.
 * `existing` maps `database.table` to its column names, in order.
 */
export function staleServiceTablesSql(existing: ReadonlyMap<string, readonly string[]>): string[] {
  const drops: string[] = [];
  for (const [table, columns] of expectedColumns()) {
    const found = existing.get(table);
    if (found && found.join(',') !== columns.join(',')) drops.push(`DROP TABLE IF EXISTS ${table}`);
  }
  return drops;
}

/** The statements that create every service data source that does not exist yet. */
export function serviceTablesSql(): string[] {
  const statements = ['CREATE DATABASE IF NOT EXISTS tinybird', 'CREATE DATABASE IF NOT EXISTS organization'];
  for (const [name, columns] of Object.entries(WORKSPACE_TABLES)) {
    statements.push(createTable('tinybird', name, columns));
    statements.push(createTable('organization', name, withWorkspace(columns)));
  }
  for (const [name, columns] of Object.entries(ORGANIZATION_ONLY))
    statements.push(createTable('organization', name, columns));
  return statements;
}
