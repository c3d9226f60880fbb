// Files sent to the Data Sources API, turned into slices of rows checked against the data source: NDJSON (JSONPaths
// apply), CSV and Parquet (decoded by ClickHouse's own input formats, bounded in memory, rows and time; JSONPaths
// apply to Parquet rows).
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { isNullable } from '../clickhouse-types';
import { DOC, HttpError, isChdbClosed } from '../errors';
import { quote, quoteTable } from './ddl';
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
const SLICE_ROWS = 2_000;
/** The row number column of the decode table (a name no file is expected to use). */
const ROW = '__react_tinybird_row';

/**
 * The rows of the file, checked against `ds`, one slice at a time. CSV and Parquet are decoded by ClickHouse's own
 * input formats on `writer`, from a temporary file into a scratch table, with a memory and time limit; their rows are
 * then read back slice by slice. NDJSON is parsed here (its JSONPaths need the objects as sent). Between two slices
 * other requests get their turn, and only one slice of rows is held here at a time.
 */
export async function* fileSlices(
  writer: Session,
  ds: DataSource,
  format: FileFormat,
  bytes: Uint8Array,
): AsyncGenerator<CheckedRows> {
  if (format === 'ndjson') {
    yield* ndjsonSlices(ds, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return;
  }
  const path = join(tmpdir(), `react-tinybird-${randomUUID()}.${format}`);
  const decoded = quoteTable(`${ds.name}__decode`);
  await writeFile(path, bytes);
  try {
    // The path is ours (a fresh UUID) and quoted: nothing of the request reaches the SQL but the file's bytes.
    const source =
      format === 'parquet' ? `file('${path}', Parquet)` : `file('${path}', CSV, ${stringLiteral(csvStructure(ds))})`;
    if (format === 'parquet') await checkParquetRows(writer, path);
    const rows = await decode(writer, decoded, source, format === 'csv' ? 'CSV' : 'Parquet');
    const check =
      format === 'csv'
        ? (records: unknown[]) =>
            checkRows(
              csvView(ds),
              records.map((record) => csvRow(ds, record as Record<string, string | null>)),
            )
        : (records: unknown[]) => checkRows(ds, records);
    for (let at = 0; at < rows; at += SLICE_ROWS) {
      const text = (
        await writer.queryAsync(
          `SELECT * EXCEPT ${ROW} FROM ${decoded} WHERE ${ROW} >= ${at} AND ${ROW} < ${at + SLICE_ROWS} ORDER BY ${ROW}`,
          { format: 'JSONEachRow' },
        )
      ).text();
      yield check(
        text === ''
          ? []
          : text
              .replace(/\n$/, '')
              .split('\n')
              .map((line) => JSON.parse(line) as unknown),
      );
    }
  } finally {
    await writer.queryAsync(`DROP TABLE IF EXISTS ${decoded}`).catch(() => undefined);
    await rm(path, { force: true });
  }
}

/**
 * Decodes `source` (a file table function) into the table `decoded`, each row numbered, within the memory and time
 * an import may use. Returns the number of rows. A file ClickHouse cannot read, or that needs more memory, rows or
 * time than an import may use, is a 400.
 */
async function decode(writer: Session, decoded: string, source: string, what: string): Promise<number> {
  const settings = [
    `max_memory_usage = ${DECODE_MEMORY}`,
    `max_execution_time = ${DECODE_SECONDS}`,
    `max_rows_to_read = ${MAX_IMPORT_ROWS + 1}`,
    // One thread, no parallel parsing: the rows are numbered in the file's order.
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
  try {
    await writer.queryAsync(`DROP TABLE IF EXISTS ${decoded}`);
    await writer.queryAsync(
      `CREATE TABLE ${decoded} ENGINE = MergeTree ORDER BY ${ROW} AS SELECT rowNumberInAllBlocks() AS ${ROW}, * FROM ${source} SETTINGS ${settings}`,
    );
    const result = await writer.queryAsync(`SELECT count() AS n FROM ${decoded}`, { format: 'JSONEachRow' });
    const rows = Number((JSON.parse(result.text()) as { n: number | string }).n);
    if (rows > MAX_IMPORT_ROWS) throw tooManyRows();
    return rows;
  } catch (error) {
    if (error instanceof HttpError || isChdbClosed(error)) throw error;
    // The temporary file's path is ours, not the caller's: left out.
    const message = cleanMessage(error).replace(/:?\s*\(in file\/uri [^)]*\)/g, '');
    if (/max_rows_to_read|Limit for rows/i.test(message)) throw tooManyRows();
    throw new HttpError(400, `The ${what} file could not be read: ${message}`, DOC.datasources);
  }
}

function tooManyRows(): HttpError {
  return new HttpError(
    400,
    `The file holds more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, more than one import takes here: split it`,
    DOC.datasources,
  );
}

/** NDJSON lines a slice at a time, cut from the bytes as they come: the whole file is never one string here. */
async function* ndjsonSlices(ds: DataSource, bytes: Buffer): AsyncGenerator<CheckedRows> {
  let lines = 0;
  for (let at = 0; at < bytes.length;) {
    let end = at;
    for (let n = 0; n < SLICE_ROWS && end < bytes.length; n++) {
      const newline = bytes.indexOf(0x0a, end);
      end = newline === -1 ? bytes.length : newline + 1;
    }
    const text = bytes.toString('utf8', at, end);
    lines += SLICE_ROWS;
    if (lines > MAX_IMPORT_ROWS && text.trim() !== '') throw tooManyRows();
    yield parseNdjson(ds, text);
    at = end;
    await new Promise<void>((done) => setImmediate(done));
  }
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
    nullable = new Set(ds.columns.filter((c) => isNullable(c.type)).map((c) => c.name));
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
