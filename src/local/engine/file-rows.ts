// Files sent to the Data Sources API, turned into rows checked against the data source: NDJSON (JSONPaths apply),
// CSV and Parquet (read by ClickHouse's own input formats; JSONPaths apply to Parquet rows).
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { DOC, HttpError, isChdbClosed } from '../errors';
import { quote } from './ddl';
import { checkRows, parseNdjson, type CheckedRows } from './ingest';
import { cleanMessage } from './sql-guard';

export type FileFormat = 'csv' | 'ndjson' | 'parquet';

/** The format of a file from its first bytes, when the request did not say: Parquet, NDJSON or else CSV. */
export function detectFormat(bytes: Uint8Array): FileFormat {
  if (Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'PAR1') return 'parquet';
  const first = Buffer.from(bytes.subarray(0, 64 * 1024))
    .toString('utf8')
    .split('\n')
    .find((line) => line.trim() !== '');
  try {
    const value: unknown = JSON.parse(first ?? '');
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return 'ndjson';
  } catch {
    // not JSON: CSV
  }
  return 'csv';
}

/** Rows one import may hold: past this a file is refused (400) before or while it is decoded. */
export const MAX_IMPORT_ROWS = 10_000_000;
/** Memory ClickHouse may use to decode one file (bytes), and seconds it may take. */
const DECODE_MEMORY = 1024 ** 3;
const DECODE_SECONDS = 120;
/** Rows checked between two turns of the event loop: other requests (health) wait at most one slice. */
const SLICE_ROWS = 5_000;

/**
 * Parses the file into checked rows. CSV and Parquet are read by ClickHouse's own input formats on `writer`, from a
 * temporary file, with a memory and time limit and streamed in chunks; NDJSON is parsed here (its JSONPaths need the
 * objects as sent). Either way the rows are checked in slices, giving way to other requests between them.
 */
export async function fileRows(
  writer: Session,
  ds: DataSource,
  format: FileFormat,
  bytes: Uint8Array,
): Promise<CheckedRows> {
  if (format === 'ndjson') return ndjsonRows(ds, Buffer.from(bytes).toString('utf8'));
  const path = join(tmpdir(), `react-tinybird-${randomUUID()}.${format}`);
  await writeFile(path, bytes);
  try {
    // The path is ours (a fresh UUID) and quoted: nothing of the request reaches the SQL but the file's bytes.
    if (format === 'parquet') {
      await checkParquetRows(writer, path);
      return await streamRows(writer, `SELECT * FROM file('${path}', Parquet)`, 'Parquet', (rows) =>
        checkRows(ds, rows),
      );
    }
    return await streamRows(
      writer,
      `SELECT * FROM file('${path}', CSV, ${stringLiteral(csvStructure(ds))})`,
      'CSV',
      (rows) =>
        checkRows(
          csvView(ds),
          rows.map((row) => csvRow(ds, row as Record<string, string | null>)),
        ),
    );
  } finally {
    await rm(path, { force: true });
  }
}

const yieldTurn = () => new Promise<void>((done) => setImmediate(done));

/** Adds `next` to `into`, without spreading a large array onto the stack. */
function merge(into: CheckedRows, next: CheckedRows): void {
  for (const g of next.good) into.good.push(g);
  for (const b of next.bad) into.bad.push(b);
}

function tooManyRows(): HttpError {
  return new HttpError(
    400,
    `The file holds more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, more than one import takes here: split it`,
    DOC.datasources,
  );
}

async function ndjsonRows(ds: DataSource, text: string): Promise<CheckedRows> {
  const lines = text.split('\n');
  if (lines.length > MAX_IMPORT_ROWS + 1 && lines.filter((l) => l.trim() !== '').length > MAX_IMPORT_ROWS)
    throw tooManyRows();
  const checked: CheckedRows = { good: [], bad: [] };
  for (let at = 0; at < lines.length; at += SLICE_ROWS) {
    merge(checked, parseNdjson(ds, lines.slice(at, at + SLICE_ROWS).join('\n')));
    await yieldTurn();
  }
  return checked;
}

/**
 * A Parquet footer says how many rows the file holds, and ClickHouse believes it: a few bytes may declare 2^40 rows
 * of defaults. Refused before decoding when it declares more than an import takes.
 */
async function checkParquetRows(writer: Session, path: string): Promise<void> {
  let declared: number;
  try {
    const result = await writer.queryAsync(`SELECT num_rows FROM file('${path}', ParquetMetadata)`, {
      format: 'JSONEachRow',
    });
    declared = Number((JSON.parse(result.text()) as { num_rows: number | string }).num_rows);
  } catch (error) {
    throw new HttpError(400, `The Parquet file could not be read: ${cleanMessage(error)}`, DOC.datasources);
  }
  if (declared > MAX_IMPORT_ROWS) throw tooManyRows();
}

/**
 * Runs `select` (a file read) with the decoding limits, streaming its rows in chunks, each checked by `check` in
 * slices. A file ClickHouse cannot read, or that needs more memory or rows than an import may use, is a 400.
 */
async function streamRows(
  writer: Session,
  select: string,
  what: string,
  check: (rows: unknown[]) => CheckedRows,
): Promise<CheckedRows> {
  const settings = [
    `max_memory_usage = ${DECODE_MEMORY}`,
    `max_execution_time = ${DECODE_SECONDS}`,
    // One thread, no parallel parsing: rows come in the file's order.
    'max_threads = 1',
    'input_format_parallel_parsing = 0',
    // CSV as Tinybird reads it: the header (its names in any order) is skipped and maps the columns by name, rows
    // may stop before the last columns (those get their defaults), extra fields are ignored, and an empty field stays
    // empty (the checks decide what it means for its column).
    'input_format_csv_detect_header = 1',
    'input_format_csv_allow_variable_number_of_columns = 1',
    'input_format_csv_empty_as_default = 0',
    'input_format_skip_unknown_fields = 1',
  ].join(', ');
  const checked: CheckedRows = { good: [], bad: [] };
  let total = 0;
  const stream = writer.queryStream(`${select} SETTINGS ${settings}`, { format: 'JSONEachRow' });
  try {
    for await (const chunk of stream) {
      const rows = chunk.rows();
      total += rows.length;
      if (total > MAX_IMPORT_ROWS) throw tooManyRows();
      for (let at = 0; at < rows.length; at += SLICE_ROWS) {
        merge(checked, check(rows.slice(at, at + SLICE_ROWS)));
        await yieldTurn();
      }
    }
  } catch (error) {
    if (error instanceof HttpError || isChdbClosed(error)) throw error;
    throw new HttpError(400, `The ${what} file could not be read: ${cleanMessage(error)}`, DOC.datasources);
  } finally {
    if (!stream.closed) stream.cancel();
  }
  return checked;
}

/** Each column of `ds` as a CSV field: text, or NULL when the row stops before it (or it says \\N). */
function csvStructure(ds: DataSource): string {
  return ds.columns.map((column) => `${quote(column.name)} Nullable(String)`).join(', ');
}

const stringLiteral = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const nullableColumns = new WeakMap<DataSource, Set<string>>();

/**
 * One CSV record as the checks read it: a field the row does not have is left out (the column's DEFAULT, or NULL,
 * fills it); an empty one is NULL in a Nullable column, the DEFAULT where there is one, else empty text; an array or
 * other structure is parsed from its text.
 */
function csvRow(ds: DataSource, record: Record<string, string | null>): Record<string, unknown> {
  let nullable = nullableColumns.get(ds);
  if (!nullable) {
    nullable = new Set(ds.columns.filter((c) => /^(?:LowCardinality\()?Nullable\(/.test(c.type)).map((c) => c.name));
    nullableColumns.set(ds, nullable);
  }
  const row: Record<string, unknown> = {};
  for (const column of ds.columns) {
    const field = record[column.name];
    if (field === null || field === undefined) continue;
    if (field === '' && nullable.has(column.name)) row[column.name] = null;
    else if (field === '' && column.default !== undefined) continue;
    else row[column.name] = STRUCTURED.test(column.type) ? structure(field) : field;
  }
  return row;
}

const csvViews = new WeakMap<DataSource, DataSource>();

/** The data source as a CSV sees it: each column read from the field of its own name. */
function csvView(ds: DataSource): DataSource {
  let view = csvViews.get(ds);
  if (!view) {
    view = { ...ds, columns: ds.columns.map((column) => ({ ...column, jsonPath: [{ key: column.name }] })) };
    csvViews.set(ds, view);
  }
  return view;
}

/** Types whose CSV field holds a structure: `["a","b"]` (or ClickHouse's `['a','b']`) becomes an array. */
const STRUCTURED = /^(?:Nullable\()?(?:Array|Map|Tuple|JSON)\b/;

/** A CSV field holding `["a"]` or `['a']`: the structure, or the text itself when it is neither. */
function structure(field: string): unknown {
  try {
    return JSON.parse(field);
  } catch {
    try {
      return JSON.parse(
        field.replace(/'((?:[^'\\]|\\.)*)'/g, (_, inner: string) => JSON.stringify(inner.replace(/\\(.)/g, '$1'))),
      );
    } catch {
      return field;
    }
  }
}
