// CREATE TABLE statements for data sources and their quarantine tables.
import type { DataSource } from '../project/datafiles';
import { checkEngine } from '../project/reach';

export const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** A table: `name`, or `workspace`.`name` for a data source shared from another workspace (and its quarantine...). */
export const quoteTable = (name: string) => name.split('.').map(quote).join('.');

/** Tinybird's quarantine shape: why, which columns, when, and every original value as text. */
export const quarantineName = (name: string) => `${name}_quarantine`;

export function createTableSql(ds: DataSource): string {
  const columns = ds.columns.map((c) => {
    let def = `${quote(c.name)} ${c.type}`;
    if (c.default !== undefined) def += ` DEFAULT ${c.default}`;
    if (c.codec !== undefined) def += ` CODEC(${c.codec})`;
    return def;
  });
  const e = ds.engine;
  let engine = e['engine'] ?? 'MergeTree';
  checkEngine(engine);
  if (!engine.includes('(')) {
    const args =
      engine === 'ReplacingMergeTree'
        ? [e['ver'], e['is_deleted']]
        : engine === 'CollapsingMergeTree'
          ? [e['sign']]
          : engine === 'VersionedCollapsingMergeTree'
            ? [e['sign'], e['version']]
            : engine === 'SummingMergeTree' && e['summing_columns']
              ? [`(${e['summing_columns']})`]
              : engine === 'Join'
                ? [e['join_strictness'], e['join_type'], e['key_columns']]
                : [];
    engine += `(${args.filter((a) => a !== undefined).join(', ')})`;
  }
  const clauses = [`ENGINE = ${engine}`];
  if (e['partition_key']) clauses.push(`PARTITION BY ${e['partition_key']}`);
  if (/MergeTree/.test(engine)) clauses.push(`ORDER BY ${e['sorting_key'] ? `(${e['sorting_key']})` : 'tuple()'}`);
  if (e['primary_key']) clauses.push(`PRIMARY KEY (${e['primary_key']})`);
  if (e['sampling_key']) clauses.push(`SAMPLE BY ${e['sampling_key']}`);
  if (e['ttl']) clauses.push(`TTL ${e['ttl']}`);
  // Tinybird's ClickHouse accepts a sampling expression over a LowCardinality column (`cityHash64(id)` is then
  // LowCardinality(UInt64)); newer ones check the type at CREATE unless told not to.
  // Likewise a column of an AggregatingMergeTree that is neither a key nor an aggregate state (a dimension that
  // depends on the key).
  const settings = [
    e['settings'],
    e['sampling_key'] ? 'check_sample_column_is_correct = 0' : undefined,
    engine.startsWith('AggregatingMergeTree') ? 'allow_dimensions_outside_sorting_key = 1' : undefined,
  ];
  if (settings.some(Boolean)) clauses.push(`SETTINGS ${settings.filter(Boolean).join(', ')}`);
  return `CREATE TABLE ${quoteTable(ds.name)} (\n  ${columns.join(',\n  ')}\n) ${clauses.join(' ')}`;
}

/** The quarantine's own columns; a data source column of the same name (say `insertion_date`) is not copied there. */
export const QUARANTINE_COLUMNS = ['c__error_column', 'c__error', 'c__import_id', 'insertion_date'];

export function createQuarantineSql(ds: DataSource): string {
  const columns = [
    '`c__error_column` Array(String)',
    '`c__error` Array(String)',
    '`c__import_id` Nullable(String)',
    '`insertion_date` DateTime',
    ...ds.columns.filter((c) => !QUARANTINE_COLUMNS.includes(c.name)).map((c) => `${quote(c.name)} Nullable(String)`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${quoteTable(quarantineName(ds.name))} (\n  ${columns.join(',\n  ')}\n) ENGINE = MergeTree ORDER BY insertion_date`;
}
