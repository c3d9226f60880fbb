// The answer formats: by pipe extension (`top.json`, `top.csv`...) and what a Query API caller may ask for with
// FORMAT, with their content types.
import { HttpError } from '../errors';

/** Output formats by pipe extension. */
export const PIPE_FORMATS: Record<string, string> = {
  json: 'JSON',
  csv: 'CSVWithNames',
  csvwithnames: 'CSVWithNames',
  ndjson: 'JSONEachRow',
  parquet: 'Parquet',
  prometheus: 'Prometheus',
};

/** Formats a Query API user may ask for with FORMAT, and their content types. */
const CONTENT_TYPES: Record<string, string> = {
  JSON: 'application/json',
  JSONCompact: 'application/json',
  JSONStrings: 'application/json',
  JSONEachRow: 'application/x-ndjson',
  JSONCompactEachRow: 'application/x-ndjson',
  NDJSON: 'application/x-ndjson',
  CSV: 'text/csv; charset=utf-8',
  CSVWithNames: 'text/csv; charset=utf-8',
  TSV: 'text/tab-separated-values; charset=utf-8',
  TabSeparated: 'text/tab-separated-values; charset=utf-8',
  TSVWithNames: 'text/tab-separated-values; charset=utf-8',
  TabSeparatedWithNames: 'text/tab-separated-values; charset=utf-8',
  PrettyCompact: 'text/plain; charset=utf-8',
  Parquet: 'application/octet-stream',
  Prometheus: 'text/plain; version=0.0.4; charset=utf-8',
};
/** Formats whose answer is bytes, not text. */
const BINARY_FORMATS = new Set(['Parquet']);

/** The content type of an answer in `format`, and whether it is bytes rather than text. */
export function formatOutput(format: string): { contentType: string; binary: boolean } {
  return { contentType: CONTENT_TYPES[format] ?? 'text/plain; charset=utf-8', binary: BINARY_FORMATS.has(format) };
}

/** The ClickHouse name of a FORMAT a caller asked for (any case), or a 400 naming the ones there are. */
export function checkFormat(format: string, documentation: string): string {
  const known = Object.keys(CONTENT_TYPES).find((f) => f.toLowerCase() === format.toLowerCase());
  if (known === undefined)
    throw new HttpError(
      400,
      `FORMAT ${format} is not supported; use one of ${Object.keys(CONTENT_TYPES).join(', ')}`,
      documentation,
    );
  return known === 'NDJSON' ? 'JSONEachRow' : known;
}

/** ClickHouse writes rows_before_limit_at_least only for queries with a LIMIT; Tinybird always has it. */
export function withRowsBeforeLimit(body: string): string {
  const at = body.lastIndexOf('\n\t"statistics":');
  if (at === -1 || body.lastIndexOf('"rows_before_limit_at_least"') > body.lastIndexOf('\n\t"rows":')) return body;
  const rows = /\n\t"rows": (\d+),\n/.exec(body.slice(body.lastIndexOf('\n\t"rows":')))?.[1];
  if (rows === undefined) return body;
  return `${body.slice(0, at)}\n\t"rows_before_limit_at_least": ${rows},\n${body.slice(at)}`;
}
