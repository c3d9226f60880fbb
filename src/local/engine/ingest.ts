// Ingestion (Events API and Data Sources API): every row is checked against the data source's columns; rows that fit
// are written in one INSERT, the others (and any row ClickHouse itself refuses) go to the quarantine table with the
// reason. A request's good rows land together or not at all: a retry after a failure never doubles them.
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { QUARANTINE_COLUMNS, quarantineName, quoteTable } from './ddl';
import { isChdbClosed } from '../errors';
import { readJsonPath } from '../project/json-path';
import { compileRowValidator, type RowCheck } from './row-validator';
import { cleanMessage } from './sql-guard';

/** Tinybird's Events API answer. */
export interface AppendResult {
  successful_rows: number;
  quarantined_rows: number;
}

/** Deeper JSON than this is quarantined: it would only blow the stack of whoever reads it next. */
export const MAX_JSON_DEPTH = 100;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const validators = new WeakMap<DataSource, (input: unknown) => RowCheck>();

interface Quarantined {
  errors: Array<{ column: string; error: string }>;
  source: unknown;
}

/** Rows of one request, split into those that fit the schema and those for the quarantine. */
export interface CheckedRows {
  good: Array<{ row: Record<string, unknown>; source: unknown }>;
  bad: Quarantined[];
}

/** Checks parsed rows (NDJSON lines, CSV records, Parquet rows) against `ds`. */
export function checkRows(ds: DataSource, sources: Iterable<unknown>): CheckedRows {
  let validate = validators.get(ds);
  if (!validate) validators.set(ds, (validate = compileRowValidator(ds.columns)));
  const checked: CheckedRows = { good: [], bad: [] };
  next: for (const source of sources) {
    // Only what the columns read is stored, so only that is checked: fields no column reads are ignored, as on
    // Tinybird.
    for (const column of ds.columns) {
      const problem = unsafeJson(readJsonPath(source, column.jsonPath));
      if (problem === undefined) continue;
      const deep = problem.startsWith('the value is nested');
      // A value too deep to turn into text is not kept in the quarantine; a lone surrogate is kept, replaced.
      checked.bad.push({ errors: [{ column: column.name, error: problem }], source: deep ? undefined : source });
      continue next;
    }
    const check = validate(source);
    if (check.row) checked.good.push({ row: check.row, source });
    else checked.bad.push({ errors: check.errors, source });
  }
  return checked;
}

/** Parses NDJSON: one row per non-empty line; a line that is not JSON is quarantined with the parser's message. */
export function parseNdjson(ds: DataSource, ndjson: string): CheckedRows {
  const sources: unknown[] = [];
  const invalid: Quarantined[] = [];
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    try {
      sources.push(JSON.parse(line));
    } catch (error) {
      invalid.push({ errors: [{ column: '', error: `invalid JSON: ${(error as Error).message}` }], source: undefined });
    }
  }
  const checked = checkRows(ds, sources);
  checked.bad.push(...invalid);
  return checked;
}

/** Events API: NDJSON rows into `ds`. */
export function ingestRows(writer: Session, ds: DataSource, ndjson: string): Promise<AppendResult> {
  return writeRows(writer, ds, parseNdjson(ds, ndjson));
}

/**
 * Writes checked rows: the good ones in one INSERT into `table` (the data source, or a scratch copy of it for a
 * replace), the bad ones into the quarantine. When ClickHouse refuses the batch, each row is tried against a Null
 * table of the same columns (nothing is stored there) to find the ones it refuses; those join the quarantine and the
 * rest is written in one INSERT again.
 */
export async function writeRows(
  writer: Session,
  ds: DataSource,
  { good, bad }: CheckedRows,
  table = ds.name,
): Promise<AppendResult> {
  let rows = good;
  if (rows.length > 0) {
    try {
      await insert(
        writer,
        table,
        rows.map((g) => g.row),
      );
    } catch (error) {
      // A shutdown is not a bad row: nothing goes to quarantine for it.
      if (isChdbClosed(error)) throw error;
      const probe = quoteTable(`${ds.name}__probe`);
      await writer.queryAsync(`CREATE TABLE IF NOT EXISTS ${probe} AS ${quoteTable(ds.name)} ENGINE = Null`);
      const fitting: typeof rows = [];
      for (const g of rows) {
        try {
          await insert(writer, `${ds.name}__probe`, [g.row]);
          fitting.push(g);
        } catch (error) {
          if (isChdbClosed(error)) throw error;
          bad.push({
            errors: [{ column: '', error: cleanMessage(error).split('\n')[0] ?? 'refused by ClickHouse' }],
            source: g.source,
          });
        }
      }
      rows = fitting;
      if (rows.length > 0)
        await insert(
          writer,
          table,
          rows.map((g) => g.row),
        );
    }
  }
  if (bad.length > 0)
    await insert(
      writer,
      quarantineName(ds.name),
      bad.map((b) => quarantineRow(ds, b)),
    );
  return { successful_rows: rows.length, quarantined_rows: bad.length };
}

function insert(writer: Session, table: string, rows: Array<Record<string, unknown>>): Promise<unknown> {
  const payload = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return writer.insert({
    table,
    values: payload,
    format: 'JSONEachRow',
    // One block, parsed in one piece: the INSERT writes all its rows or none.
    settings: {
      input_format_skip_unknown_fields: 0,
      async_insert: 0,
      input_format_parallel_parsing: 0,
      max_insert_block_size: 100_000_000,
      min_insert_block_size_rows: 0,
      min_insert_block_size_bytes: 0,
    },
  });
}

function quarantineRow(ds: DataSource, q: Quarantined): Record<string, unknown> {
  const row: Record<string, unknown> = {
    c__error_column: q.errors.map((e) => e.column),
    c__error: q.errors.map((e) => (e.column ? `${e.column}: ${e.error}` : e.error)),
    c__import_id: null,
    insertion_date: Math.floor(Date.now() / 1000),
  };
  for (const column of ds.columns) {
    if (QUARANTINE_COLUMNS.includes(column.name)) continue;
    const value = readJsonPath(q.source, column.jsonPath);
    const text =
      value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
    // The quarantine keeps what was sent, as far as it is text ClickHouse takes: a lone surrogate becomes U+FFFD.
    row[column.name] = text === null ? null : text.replace(LONE_SURROGATES, '\uFFFD');
  }
  return row;
}

/**
 * Why a parsed JSON value cannot be stored as it is: nested deeper than MAX_JSON_DEPTH, or holding a lone UTF-16
 * surrogate (`"\ud800"` parses in JavaScript, but it is no Unicode text and ClickHouse refuses the whole INSERT).
 * Walks the value without recursion, so no depth can overflow the stack here.
 */
export function unsafeJson(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return 'a string holds a lone UTF-16 surrogate: it is not valid Unicode text';
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= maxDepth) return `the value is nested deeper than ${maxDepth} levels`;
    if (Array.isArray(item)) for (const child of item) stack.push({ value: child, depth: depth + 1 });
    else
      for (const [key, child] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return 'a key holds a lone UTF-16 surrogate: it is not valid Unicode text';
        stack.push({ value: child, depth: depth + 1 });
      }
  }
  return undefined;
}
