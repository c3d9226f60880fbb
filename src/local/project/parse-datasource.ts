// Parses the text of a `.datasource` file: its SCHEMA into columns, its ENGINE settings and TOKEN lines.
// Text in, data out: no file system here.
import { basename } from 'node:path';
import { splitTopLevel } from '../clickhouse-types';
import { connectorColumns, type Connector } from './connector-columns';
import { DatafileError, type Column, type DataSource, type Parsed, type TokenLine } from './datafiles';
import { DEPLOY_ONLY, directives, IDENTIFIER, tokenLine, unquote, type Directive } from './directives';
import { parseJsonPath } from './json-path';

/** Databases of the server itself: no shared data source may come from a workspace of these names. */
const RESERVED_WORKSPACES = new Set(['default', 'system', 'tinybird', 'organization', 'information_schema']);

/**
 * A data source's name: its file's name, or `<workspace>.<name>` for one shared from another workspace, which pipes
 * read as `FROM <workspace>.<name>`: a file `vendor/<workspace>/datasources/<name>.datasource` (where Tinybird's CLI
 * pulls them) or `<workspace>.<name>.datasource`.
 */
function datasourceName(file: string): string {
  const vendor = /(?:^|[\\/])vendor[\\/]([^\\/]+)[\\/]datasources[\\/][^\\/]+$/.exec(file)?.[1];
  const base = basename(file).replace(/\.datasource$/, '');
  const parts = vendor === undefined ? base.split('.') : [vendor, base];
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new DatafileError(
      file,
      1,
      `the file name makes the data source name "${parts.join('.')}": use letters, digits and _ only, not starting with a digit (and <workspace>.<name> for a shared one)`,
    );
  }
  if (parts.length === 2 && RESERVED_WORKSPACES.has(parts[0]!.toLowerCase()))
    throw new DatafileError(file, 1, `"${parts[0]}" cannot be the workspace of a shared data source here`);
  return parts.join('.');
}

/** Parses the text of a `.datasource` file. */
/** A data source while its file is read: the parser fills it, the snapshot gets it read-only. */
type Draft = { -readonly [K in keyof DataSource]: DataSource[K] } & {
  columns: Column[];
  engine: Record<string, string>;
  tokens: TokenLine[];
};

export function parseDatasource(text: string, file: string): Parsed<DataSource> {
  const ds: Draft = {
    kind: 'datasource',
    name: datasourceName(file),
    file,
    columns: [],
    engine: {},
    tokens: [],
    line: 1,
  };
  const warnings: string[] = [];
  let schema: Directive | undefined;
  let connector: Connector | undefined;
  let storeHeaders = false;
  for (const d of directives(text, file)) {
    if (d.keyword.startsWith('KAFKA_')) connector = 'kafka';
    if (d.keyword === 'KAFKA_STORE_HEADERS') storeHeaders = /^true$/i.test(unquote(d.args));
    if (d.keyword === 'KAFKA_CONNECTION_NAME' || d.keyword === 'IMPORT_CONNECTION_NAME')
      ds.connection = { name: unquote(d.args), line: d.line };
    if ((d.keyword === 'IMPORT_SERVICE' && /dynamodb/i.test(d.args)) || d.keyword === 'IMPORT_TABLE_ARN')
      connector = 'dynamodb';
    if (d.keyword === 'IMPORT_SERVICE' && /bigquery|snowflake/i.test(d.args)) connector = 'scheduled-import';
    if (d.keyword === 'DESCRIPTION') ds.description = d.block ?? unquote(d.args);
    else if (d.keyword === 'TOKEN') {
      const token = tokenLine(d, file, ['READ', 'APPEND'], warnings);
      if (token) ds.tokens.push(token);
    } else if (d.keyword === 'SCHEMA') schema = d;
    else if (d.keyword === 'ENGINE' || d.keyword.startsWith('ENGINE_')) {
      const key = d.keyword === 'ENGINE' ? 'engine' : d.keyword.slice('ENGINE_'.length).toLowerCase();
      const value = unquote(d.block ?? d.args);
      if (value === '' && key === 'engine')
        throw new DatafileError(file, d.line, `${d.keyword} needs a value, e.g. ${d.keyword} "MergeTree"`);
      // An empty setting is no setting: `ENGINE_PARTITION_KEY ""` is an unpartitioned table, as on Tinybird.
      if (value !== '') ds.engine[key] = value;
    } else if (d.keyword === 'VERSION') {
      // The data source's name in the workspace (see versions.ts).
    } else if (DEPLOY_ONLY.test(d.keyword)) {
      warnings.push(`${file}:${d.line}: ${d.keyword} is ignored by the local server`);
    } else {
      warnings.push(
        `${file}:${d.line}: unknown keyword ${d.keyword} in a .datasource file is ignored (expected DESCRIPTION, SCHEMA, ENGINE..., TOKEN)`,
      );
    }
  }
  if (!schema?.block) throw new DatafileError(file, 1, 'missing `SCHEMA >` with one indented line per column');
  ds.line = schema.line;
  ds.columns = parseSchema(schema.block, schema.blockLine, file);
  if (connector) {
    const declared = new Set(ds.columns.map((c) => c.name));
    for (const added of connectorColumns(connector, { storeHeaders })) {
      if (!declared.has(added.name)) ds.columns.push({ ...added, jsonPath: [{ key: added.name }], line: schema.line });
    }
  }
  return { value: ds, warnings };
}

function parseSchema(written: string, firstLine: number, file: string): Column[] {
  // A line starting with `#` is a comment, as Tinybird's CLI reads a SCHEMA (blanked, so line numbers hold).
  const block = written.replace(/^[ \t]*#.*$/gm, (comment) => ' '.repeat(comment.length));
  const columns: Column[] = [];
  const seen = new Set<string>();
  for (const part of splitTopLevel(block)) {
    const lead = /^\s*/.exec(part.text)?.[0] ?? '';
    const line = firstLine + (block.slice(0, part.at + lead.length).match(/\n/g)?.length ?? 0);
    const def = part.text.trim();
    if (def === '') {
      // Tinybird accepts a comma after the last column.
      if (part.at + lead.length >= block.length && columns.length > 0) continue;
      throw new DatafileError(file, line, 'empty column definition (two commas in a row?)');
    }
    const column = parseColumn(def, line, file);
    if (seen.has(column.name)) throw new DatafileError(file, line, `column "${column.name}" is defined twice`);
    seen.add(column.name);
    columns.push(column);
  }
  return columns;
}

function parseColumn(def: string, line: number, file: string): Column {
  const nameMatch = /^(`[^`]*`|[^\s`]+)\s*/.exec(def);
  const quoted = nameMatch?.[1]?.startsWith('`') ?? false;
  const name = (nameMatch?.[1] ?? '').replace(/^`|`$/g, '');
  // In backticks a name may hold dots, as the columns of a materialized `p.id` do.
  if (!(quoted ? /^[A-Za-z_][\w.]*$/ : IDENTIFIER).test(name)) {
    throw new DatafileError(
      file,
      line,
      `bad column name "${name}": use letters, digits and _ only, e.g. \`user_id\` String \`json:$.user_id\``,
    );
  }
  let rest = def.slice(nameMatch?.[0].length ?? 0);
  let depth = 0;
  let end = 0;
  for (; end < rest.length; end++) {
    const c = rest[end];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === "'") end = rest.indexOf("'", end + 1) === -1 ? rest.length : rest.indexOf("'", end + 1);
    else if (depth === 0 && /\s/.test(c ?? '')) break;
  }
  const type = rest.slice(0, end);
  if (type === '' || depth !== 0 || !/^[A-Za-z]/.test(type)) {
    throw new DatafileError(
      file,
      line,
      `column "${name}" needs a ClickHouse type with balanced parentheses, e.g. \`${name}\` String`,
    );
  }
  rest = rest.slice(end).trim();
  let jsonPath = name.includes('.') ? `$['${name}']` : `$.${name}`;
  const path = /^`json:([^`]*)`\s*/.exec(rest);
  if (path) {
    jsonPath = path[1] ?? '';
    rest = rest.slice(path[0].length);
  } else if (rest.startsWith('`')) {
    throw new DatafileError(file, line, `column "${name}": expected \`json:$.path\` after the type`);
  }
  const column: { -readonly [K in keyof Column]: Column[K] } = { name, type, jsonPath: [], line };
  try {
    column.jsonPath = parseJsonPath(jsonPath);
  } catch (error) {
    throw new DatafileError(file, line, `column "${name}": ${(error as Error).message}`);
  }
  if (rest !== '') {
    const extra =
      /^(DEFAULT)\s+([\s\S]+?)(?:\s+CODEC\s*\(([\s\S]*)\))?$/i.exec(rest) ?? /^()()CODEC\s*\(([\s\S]*)\)$/i.exec(rest);
    if (!extra) {
      throw new DatafileError(
        file,
        line,
        `column "${name}": cannot read "${rest}" (expected DEFAULT <expression> and/or CODEC(...))`,
      );
    }
    if (extra[2]) column.default = extra[2];
    if (extra[3]) column.codec = extra[3];
  }
  return column;
}
