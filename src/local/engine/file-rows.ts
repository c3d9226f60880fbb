// Files sent to the Data Sources API, turned into rows checked against the data source: NDJSON (JSONPaths apply),
// CSV (columns by header name, else in order) and Parquet (read by ClickHouse itself, JSONPaths apply).
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { DOC, HttpError } from '../errors';
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

/** Parses the file into checked rows. Parquet is read through ClickHouse on `writer`, from a temporary file. */
export async function fileRows(
  writer: Session,
  ds: DataSource,
  format: FileFormat,
  bytes: Uint8Array,
): Promise<CheckedRows> {
  if (format === 'ndjson') return parseNdjson(ds, Buffer.from(bytes).toString('utf8'));
  if (format === 'csv') return csvRows(ds, Buffer.from(bytes).toString('utf8'));
  const path = join(tmpdir(), `react-tinybird-${randomUUID()}.parquet`);
  await writeFile(path, bytes);
  try {
    let text: string;
    try {
      // The path is ours (a fresh UUID) and quoted: nothing of the request reaches the SQL but the file's bytes.
      text = (await writer.queryAsync(`SELECT * FROM file('${path}', Parquet)`, { format: 'JSONEachRow' })).text();
    } catch (error) {
      throw new HttpError(400, `The Parquet file could not be read: ${cleanMessage(error)}`, DOC.datasources);
    }
    return parseNdjson(ds, text);
  } finally {
    await rm(path, { force: true });
  }
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

function csvRows(ds: DataSource, text: string): CheckedRows {
  const records = parseCsv(text);
  const names = ds.columns.map((column) => column.name);
  const header = records[0]?.every((field, i) => field === names[i]) ?? false;
  const order = header ? (records[0] ?? []) : names;
  const view = csvView(ds);
  const structured = new Set(ds.columns.filter((c) => STRUCTURED.test(c.type)).map((c) => c.name));
  const nullable = new Set(
    ds.columns.filter((c) => /^(?:LowCardinality\()?Nullable\(/.test(c.type)).map((c) => c.name),
  );
  const rows = (header ? records.slice(1) : records).map((record) => {
    const row: Record<string, unknown> = {};
    record.forEach((field, i) => {
      const name = order[i];
      if (name === undefined) return;
      if (field === '' && nullable.has(name)) row[name] = null;
      else if (field === '' && ds.columns.find((c) => c.name === name)?.default !== undefined) return;
      else row[name] = structured.has(name) ? structure(field) : field;
    });
    return row;
  });
  return checkRows(view, rows);
}

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

/** RFC 4180 CSV: comma separated, `"` quotes (doubled inside), CRLF or LF line ends, line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const end = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') end();
    else if (c === '\n' || c === '\r') {
      end();
      if (record.some((f) => f !== '') || record.length > 1) records.push(record);
      record = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || record.length > 0) {
    end();
    records.push(record);
  }
  return records;
}
