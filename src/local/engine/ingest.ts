// Events API ingestion: every NDJSON line is checked against the data source's columns; rows that fit are inserted
// in one batch, the others (and any row ClickHouse itself refuses) go to the quarantine table with the reason.
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { quarantineName } from './ddl';
import { isChdbClosed } from '../errors';
import { readJsonPath } from './json-path';
import { compileRowValidator, type RowCheck } from './row-validator';
import { cleanMessage } from './sql-guard';

/** Tinybird's Events API answer. */
export interface AppendResult {
  successful_rows: number;
  quarantined_rows: number;
}

const validators = new WeakMap<DataSource, (input: unknown) => RowCheck>();

interface Quarantined {
  errors: Array<{ column: string; error: string }>;
  source: unknown;
}

export async function ingestRows(writer: Session, ds: DataSource, ndjson: string): Promise<AppendResult> {
  let validate = validators.get(ds);
  if (!validate) validators.set(ds, (validate = compileRowValidator(ds.columns)));
  const good: Array<{ row: Record<string, unknown>; source: unknown }> = [];
  const bad: Quarantined[] = [];
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    let source: unknown;
    try {
      source = JSON.parse(line);
    } catch (error) {
      bad.push({ errors: [{ column: '', error: `invalid JSON: ${(error as Error).message}` }], source: undefined });
      continue;
    }
    const check = validate(source);
    if (check.row) good.push({ row: check.row, source });
    else bad.push({ errors: check.errors, source });
  }
  let inserted = 0;
  if (good.length > 0) {
    try {
      await insert(
        writer,
        ds.name,
        good.map((g) => g.row),
      );
      inserted = good.length;
    } catch (error) {
      // A shutdown is not a bad row: nothing goes to quarantine for it.
      if (isChdbClosed(error)) throw error;
      // One row ClickHouse refuses fails the batch: find it by inserting one by one.
      for (const g of good) {
        try {
          await insert(writer, ds.name, [g.row]);
          inserted++;
        } catch (error) {
          if (isChdbClosed(error)) throw error;
          bad.push({
            errors: [{ column: '', error: cleanMessage(error).split('\n')[0] ?? 'refused by ClickHouse' }],
            source: g.source,
          });
        }
      }
    }
  }
  if (bad.length > 0)
    await insert(
      writer,
      quarantineName(ds.name),
      bad.map((b) => quarantineRow(ds, b)),
    );
  return { successful_rows: inserted, quarantined_rows: bad.length };
}

function insert(writer: Session, table: string, rows: Array<Record<string, unknown>>): Promise<unknown> {
  const payload = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return writer.insert({
    table,
    values: payload,
    format: 'JSONEachRow',
    settings: { input_format_skip_unknown_fields: 0, async_insert: 0 },
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
    const value = readJsonPath(q.source, column.jsonPath);
    row[column.name] =
      value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return row;
}
