// Reads a folder of classic Tinybird datafiles (*.datasource, *.pipe) into plain objects. Everything that is wrong
// with a file is reported as a DatafileError naming the file, the line and what to change; a project load keeps
// going without that file, as one refused datafile must not stop the rest from serving.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { parseJsonPath, type JsonPath } from './json-path';
import { connectorColumns, type Connector } from './connector-columns';
import { LocalServerError } from '../errors';
import { parseCron } from './cron';
import { projectSecrets } from './secrets';

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
  name: string;
  /** The ClickHouse type as written, e.g. `LowCardinality(String)`. */
  type: string;
  /** Where the Events API reads the value in each JSON row (default `$.<name>`). */
  jsonPath: JsonPath;
  /** `DEFAULT <expr>` as written, used when a row leaves the value out. */
  default?: string;
  codec?: string;
  line: number;
}

/** A `TOKEN name READ|APPEND` line (other permissions, such as CREATE, are accepted and grant nothing here). */
export interface TokenLine {
  name: string;
  permission: 'READ' | 'APPEND';
  line: number;
}

export interface DataSource {
  kind: 'datasource';
  name: string;
  file: string;
  description?: string;
  columns: Column[];
  /** `ENGINE*` settings by their suffix: `ENGINE` -> `engine`, `ENGINE_SORTING_KEY` -> `sorting_key`. */
  engine: Record<string, string>;
  tokens: TokenLine[];
  /** Line of `SCHEMA >`, for errors about the table as a whole. */
  line: number;
}

export interface PipeNode {
  name: string;
  sql: string;
  description?: string;
  type?: string;
  /** `DATASOURCE <name>` in the node: the target of a materialized node. */
  datasource?: string;
  /** TARGET_DATASOURCE, COPY_SCHEDULE and COPY_MODE in the node: a copy node's settings. */
  copy?: { target?: string; schedule?: string; mode?: string; line: number };
  /** `ENGINE*` lines in the node (a classic materialized node names its target's engine), by suffix. */
  engine?: Record<string, string>;
  line: number;
}

export interface Pipe {
  kind: 'pipe';
  name: string;
  file: string;
  description?: string;
  nodes: PipeNode[];
  /** Index in `nodes` of the `TYPE endpoint` node; undefined when the pipe is not published. */
  endpoint?: number;
  /** The `TYPE materialized` node and the data source it writes to (`DATASOURCE <name>`). */
  materialized?: { node: number; datasource: string };
  /** The `TYPE copy` node, its TARGET_DATASOURCE, COPY_SCHEDULE (a cron expression or '@on-demand') and COPY_MODE. */
  copy?: { node: number; datasource: string; schedule: string; mode: 'append' | 'replace' };
  tokens: TokenLine[];
}

/** A datafile the server could not use, and why. */
export interface DatafileProblem {
  file: string;
  line: number;
  problem: string;
  /** The data source or pipe the file defines. */
  name: string;
  kind: 'datasource' | 'pipe';
}

export interface Project {
  dir: string;
  datasources: Map<string, DataSource>;
  pipes: Map<string, Pipe>;
  /** Things that were ignored, worth printing once at start. */
  warnings: string[];
  /** Datafiles left out (a parse error, or ClickHouse refused them): the rest of the project serves. */
  problems: DatafileProblem[];
  /** What tb_secret() reads: the environment, then the project's .env.local and .env (see secrets.ts). */
  secrets: ReadonlyMap<string, string>;
}

/** Leaves a data source or pipe out of `project`, remembering why. */
export function refuse(project: Project, kind: 'datasource' | 'pipe', name: string, error: DatafileError): void {
  if (kind === 'datasource') project.datasources.delete(name);
  else project.pipes.delete(name);
  project.problems.push({ file: error.file, line: error.line, problem: error.problem, name, kind });
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SKIP_DIRS = new Set(['node_modules', 'tests', 'fixtures']);

/**
 * Loads every `.datasource` and `.pipe` file under `dir` (recursively; `datasources/`, `pipes/` and `endpoints/`
 * layouts all work). A file with an error is left out and listed in `problems`; only an unreadable folder throws.
 */
export async function loadProject(dir: string): Promise<Project> {
  const secrets = await projectSecrets(dir);
  const project: Project = { dir, datasources: new Map(), pipes: new Map(), warnings: [], problems: [], secrets };
  let files: string[];
  try {
    files = await walk(dir);
  } catch (error) {
    throw new DatafileError(dir, 0, `cannot read the project folder (${(error as Error).message})`);
  }
  const sameText = new Map<string, string>();
  for (const path of files.sort()) {
    const shown = relative(process.cwd(), path) || path;
    const kind = extname(path) === '.datasource' ? 'datasource' : 'pipe';
    const name = basename(path, extname(path));
    try {
      const text = await withIncludes(await readFile(path, 'utf8'), path, dir, shown);
      const parsed = kind === 'datasource' ? parseDatasource(text, shown) : parsePipe(text, shown);
      project.warnings.push(...parsed.warnings);
      const { file: other } = project.datasources.get(parsed.value.name) ?? project.pipes.get(parsed.value.name) ?? {};
      if (other !== undefined) {
        // A copy of a datafile in another folder (say `pipes/` and `endpoints/`) that differs only in spacing is the
        // same datafile: loaded once. Any other difference is a conflict Tinybird would refuse too.
        if (sameText.get(parsed.value.name) === withoutSpacing(text)) {
          project.warnings.push(`${shown}: the same datafile as ${other} (up to spacing); loaded once`);
          continue;
        }
        throw new DatafileError(shown, 1, `the name "${parsed.value.name}" is already used by ${other}`);
      }
      sameText.set(parsed.value.name, withoutSpacing(text));
      if (parsed.value.kind === 'datasource') project.datasources.set(parsed.value.name, parsed.value);
      else project.pipes.set(parsed.value.name, parsed.value);
    } catch (error) {
      if (!(error instanceof DatafileError)) throw error;
      project.problems.push({ file: error.file, line: error.line, problem: error.problem, name, kind });
    }
  }
  for (const pipe of [...project.pipes.values()]) {
    try {
      checkReferences(pipe, project);
    } catch (error) {
      if (!(error instanceof DatafileError)) throw error;
      refuse(project, 'pipe', pipe.name, error);
    }
  }
  return project;
}

const withoutSpacing = (text: string) => text.replace(/\s+/g, '');

/** What a pipe names must exist: the data sources it writes into; its nodes must not shadow a data source. */
function checkReferences(pipe: Pipe, project: Project): void {
  for (const node of pipe.nodes) {
    if (project.datasources.has(node.name)) {
      throw new DatafileError(
        pipe.file,
        node.line,
        `node "${node.name}" has the name of a data source; rename the node`,
      );
    }
  }
  // A materialized target no .datasource file defines is made from the node when the tables exist (inferredTarget).
  if (pipe.copy && !project.datasources.has(pipe.copy.datasource)) {
    const node = pipe.nodes[pipe.copy.node]!;
    throw new DatafileError(
      pipe.file,
      node.line,
      `node "${node.name}" copies into "${pipe.copy.datasource}", which no .datasource file defines`,
    );
  }
}

const MAX_INCLUDE_DEPTH = 5;

/**
 * Replaces each `INCLUDE "path"` line with the text of that file (relative to the datafile, else to the project),
 * as Tinybird's CLI does; `"NAME=value"` words after the path replace `$NAME` in the included text.
 */
async function withIncludes(text: string, path: string, projectDir: string, shown: string, depth = 0): Promise<string> {
  if (!/^INCLUDE\b/m.test(text)) return text;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const match = /^INCLUDE\s+(.*?)\s*$/.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const words = [...(match[1] ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    const [target, ...assignments] = words;
    if (!target || depth >= MAX_INCLUDE_DEPTH)
      throw new DatafileError(
        shown,
        i + 1,
        target ? 'INCLUDE nests too deep' : 'INCLUDE needs a file, e.g. INCLUDE "includes/x.incl"',
      );
    const candidates = [resolve(dirname(path), target), resolve(projectDir, target)];
    let included: string | undefined;
    let found = '';
    for (const candidate of candidates) {
      included = await readFile(candidate, 'utf8').catch(() => undefined);
      found = candidate;
      if (included !== undefined) break;
    }
    if (included === undefined) throw new DatafileError(shown, i + 1, `INCLUDE: cannot read ${target}`);
    for (const assignment of assignments) {
      const eq = assignment.indexOf('=');
      if (eq > 0) included = included.split(`$${assignment.slice(0, eq)}`).join(assignment.slice(eq + 1));
    }
    out.push((await withIncludes(included, found, projectDir, shown, depth + 1)).replace(/\n$/, ''));
  }
  return out.join('\n');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await walk(path)));
    } else if (/\.(datasource|pipe)$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

interface Directive {
  keyword: string;
  /** Text after the keyword on its line (without a trailing `>`). */
  args: string;
  /** Dedented indented block after `KEYWORD >`, when there is one. */
  block?: string;
  line: number;
  /** Line of the first line of `block`. */
  blockLine: number;
}

interface Parsed<T> {
  value: T;
  warnings: string[];
}

/**
 * The keywords that end a `KEYWORD >` block when a line starts with one: any other line, indented or not, belongs to
 * the block, as in Tinybird's parser (a description's second paragraph, a `%` or SQL line written at column 0).
 */
const BLOCK_ENDS =
  /^(NODE|SQL|TYPE|DESCRIPTION|TOKEN|SCHEMA|INDEXES|ENGINE\w*|DATASOURCE|TARGET_DATASOURCE|COPY_\w+|VERSION|TAGS|INCLUDE|FORWARD_QUERY|SHARED_WITH|KAFKA_\w+|IMPORT_\w+|EXPORT_\w+|S3_\w+|GCS_\w+|CACHE|BACKFILL|DEPLOYMENT_METHOD)(\s|$)/;

/** Splits a datafile into top-level directives with their blocks. */
function directives(text: string, file: string): Directive[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (/^\s/.test(raw)) {
      throw new DatafileError(
        file,
        i + 1,
        'unexpected indented line: only the lines of a block (after `KEYWORD >`) are indented',
      );
    }
    const match = /^([A-Z_]+)\b\s*(.*?)\s*$/.exec(raw);
    if (!match)
      throw new DatafileError(
        file,
        i + 1,
        `expected a keyword in capitals (SCHEMA, ENGINE, NODE, SQL, ...), got "${raw.trim()}"`,
      );
    const keyword = match[1] ?? '';
    let args = match[2] ?? '';
    const directive: Directive = { keyword, args, line: i + 1, blockLine: i + 2 };
    if (args === '>' || args.endsWith(' >')) {
      args = args.slice(0, -1).trim();
      const body: string[] = [];
      while (i + 1 < lines.length && !BLOCK_ENDS.test(lines[i + 1] ?? '')) {
        const line = lines[++i] ?? '';
        // A `#` at column 0 is a datafile comment, not part of the block.
        if (!line.startsWith('#')) body.push(line);
      }
      while (body.length > 0 && (body.at(-1) ?? '').trim() === '') body.pop();
      if (body.length === 0)
        throw new DatafileError(file, directive.line, `${keyword} > is followed by no indented block`);
      directive.block = dedent(body);
      directive.args = args;
    }
    out.push(directive);
  }
  return out;
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}

const unquote = (value: string) => value.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');

function nameOf(file: string, kind: string): string {
  const name = basename(file).replace(/\.(datasource|pipe)$/, '');
  if (!IDENTIFIER.test(name)) {
    throw new DatafileError(
      file,
      1,
      `the file name makes the ${kind} name "${name}": use letters, digits and _ only, not starting with a digit`,
    );
  }
  return name;
}

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

/**
 * A `TOKEN <name> <PERMISSION>` line: the permissions in `enforced` give the token a scope; any other word (CREATE,
 * a pipe's APPEND...) is accepted with a warning and grants nothing, so a project written for Tinybird loads.
 */
function tokenLine(d: Directive, file: string, enforced: readonly string[], warnings: string[]): TokenLine | undefined {
  const match = /^("[^"]+"|'[^']+'|\S+)\s+([A-Za-z_:]+)$/.exec(d.args);
  const name = match ? unquote(match[1] ?? '').trim() : '';
  const permission = (match?.[2] ?? '').toUpperCase();
  // A control character in a token name is refused: the class names them on purpose.
  // eslint-disable-next-line no-control-regex
  if (!match || name === '' || /[\u0000-\u001f]/.test(name)) {
    throw new DatafileError(file, d.line, `expected TOKEN <name> ${enforced.join('|')}, e.g. TOKEN "dashboard" READ`);
  }
  if (!enforced.includes(permission)) {
    warnings.push(`${file}:${d.line}: TOKEN ${name} ${permission} is accepted but grants nothing on the local server`);
    return undefined;
  }
  return { name, permission: permission as TokenLine['permission'], line: d.line };
}

/** Keywords that only matter when deploying to Tinybird (connectors, sharing, versions): accepted with a warning. */
const DEPLOY_ONLY =
  /^(VERSION|TAGS|INDEXES|FORWARD_QUERY|SHARED_WITH|BACKFILL|CACHE|DEPLOYMENT_METHOD|(KAFKA|IMPORT|EXPORT|S3|GCS)_\w+)$/;

/** Parses the text of a `.datasource` file. */
export function parseDatasource(text: string, file: string): Parsed<DataSource> {
  const ds: DataSource = {
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

/** Splits on commas outside parentheses, quotes and backticks, keeping each piece's start offset. */
function splitTopLevel(text: string): Array<{ text: string; at: number }> {
  const parts: Array<{ text: string; at: number }> = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), at: start });
  return parts;
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
  const column: Column = { name, type, jsonPath: [], line };
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

const PIPE_IGNORED = new Set(['VERSION', 'TAGS', 'CACHE']);
const NODE_TYPES = new Set(['endpoint', 'materialized', 'copy', 'sink', 'standard']);
const COPY_SETTINGS: Record<string, 'target' | 'schedule' | 'mode'> = {
  TARGET_DATASOURCE: 'target',
  COPY_SCHEDULE: 'schedule',
  COPY_MODE: 'mode',
};

/** Parses the text of a `.pipe` file. */
export function parsePipe(text: string, file: string): Parsed<Pipe> {
  const pipe: Pipe = { kind: 'pipe', name: nameOf(file, 'pipe'), file, nodes: [], tokens: [] };
  const warnings: string[] = [];
  let node: PipeNode | undefined;
  for (const d of directives(text, file)) {
    if (d.keyword === 'NODE') {
      const name = unquote(d.args);
      if (!IDENTIFIER.test(name))
        throw new DatafileError(file, d.line, `NODE needs a name of letters, digits and _, got "${d.args}"`);
      if (pipe.nodes.some((n) => n.name === name))
        throw new DatafileError(file, d.line, `node "${name}" is defined twice`);
      node = { name, sql: '', line: d.line };
      pipe.nodes.push(node);
    } else if (d.keyword === 'DESCRIPTION') {
      const text = d.block ?? unquote(d.args);
      if (node) node.description = text;
      else pipe.description = text;
    } else if (d.keyword === 'TOKEN') {
      const token = tokenLine(d, file, ['READ'], warnings);
      if (token) pipe.tokens.push(token);
    } else if ((d.keyword === 'ENGINE' || d.keyword.startsWith('ENGINE_')) && node) {
      // The classic CLI's materialized pipes repeat their target's engine: the .datasource file is what counts here.
      node.engine ??= {};
      node.engine[d.keyword === 'ENGINE' ? 'engine' : d.keyword.slice('ENGINE_'.length).toLowerCase()] = unquote(
        d.block ?? d.args,
      );
    } else if (d.keyword === 'SQL') {
      if (!node) throw new DatafileError(file, d.line, 'SQL > outside a node: start the node with NODE <name>');
      if (!d.block) throw new DatafileError(file, d.line, 'SQL must be followed by `>` and an indented query');
      if (node.sql !== '') throw new DatafileError(file, d.line, `node "${node.name}" has two SQL blocks`);
      node.sql = d.block.trim().replace(/;\s*$/, '');
    } else if (d.keyword === 'TYPE') {
      if (!node) throw new DatafileError(file, d.line, "TYPE outside a node: put it after the node's SQL");
      const type = unquote(d.args).toLowerCase();
      if (!NODE_TYPES.has(type))
        throw new DatafileError(
          file,
          d.line,
          `unknown node TYPE "${d.args}" (expected endpoint, materialized, copy or sink)`,
        );
      node.type = type;
      if (type === 'endpoint' || type === 'materialized' || type === 'copy') {
        if (pipe.endpoint !== undefined || pipe.materialized !== undefined || pipe.copy !== undefined) {
          throw new DatafileError(
            file,
            d.line,
            `a pipe has one output node (endpoint, materialized or copy); this TYPE ${type} is the second`,
          );
        }
        const index = pipe.nodes.length - 1;
        if (type === 'endpoint') pipe.endpoint = index;
        else if (type === 'materialized') pipe.materialized = { node: index, datasource: '' };
        else pipe.copy = { node: index, datasource: '', schedule: '@on-demand', mode: 'append' };
      } else if (type !== 'standard') {
        warnings.push(`${file}:${d.line}: TYPE ${type} is not run by the local server; the pipe is not published`);
      }
    } else if (d.keyword === 'DATASOURCE' && node) {
      node.datasource = unquote(d.args);
    } else if (d.keyword in COPY_SETTINGS) {
      if (!node)
        throw new DatafileError(file, d.line, `${d.keyword} outside a node: put it after the copy node's TYPE COPY`);
      node.copy ??= { line: d.line };
      node.copy[COPY_SETTINGS[d.keyword]!] = unquote(d.args);
    } else if (PIPE_IGNORED.has(d.keyword) || d.keyword === 'DATASOURCE' || DEPLOY_ONLY.test(d.keyword)) {
      warnings.push(`${file}:${d.line}: ${d.keyword} is ignored by the local server`);
    } else {
      warnings.push(
        `${file}:${d.line}: unknown keyword ${d.keyword} in a .pipe file is ignored (expected DESCRIPTION, TOKEN, NODE, SQL, TYPE)`,
      );
    }
  }
  if (pipe.nodes.length === 0) throw new DatafileError(file, 1, 'a pipe needs at least one `NODE <name>` with `SQL >`');
  // The classic CLI publishes a pipe with no TYPE line at all: its last node is the endpoint.
  if (pipe.nodes.every((n) => n.type === undefined)) pipe.endpoint = pipe.nodes.length - 1;
  for (const n of pipe.nodes)
    if (n.sql === '') throw new DatafileError(file, n.line, `node "${n.name}" has no \`SQL >\` block`);
  for (const n of pipe.nodes) {
    if (n.datasource !== undefined && n.type !== 'materialized')
      warnings.push(`${file}:${n.line}: DATASOURCE is ignored by the local server outside a TYPE materialized node`);
    if (n.copy !== undefined && n.type !== 'copy')
      warnings.push(
        `${file}:${n.copy.line}: TARGET_DATASOURCE, COPY_SCHEDULE and COPY_MODE are ignored outside a TYPE copy node`,
      );
  }
  if (pipe.copy) {
    const n = pipe.nodes[pipe.copy.node]!;
    const { target, schedule = '@on-demand', mode = 'append', line = n.line } = n.copy ?? {};
    if (!target)
      throw new DatafileError(
        file,
        n.line,
        `node "${n.name}" is TYPE copy: name its target with TARGET_DATASOURCE <data source>`,
      );
    if (mode !== 'append' && mode !== 'replace')
      throw new DatafileError(file, line, `COPY_MODE is append or replace, got "${mode}"`);
    if (schedule.toLowerCase() !== '@on-demand') {
      try {
        parseCron(schedule);
      } catch (error) {
        throw new DatafileError(file, line, `COPY_SCHEDULE: ${(error as Error).message}`);
      }
    }
    pipe.copy = { node: pipe.copy.node, datasource: target, schedule, mode };
  }
  if (pipe.materialized) {
    const n = pipe.nodes[pipe.materialized.node]!;
    if (!n.datasource)
      throw new DatafileError(
        file,
        n.line,
        `node "${n.name}" is TYPE materialized: name its target with DATASOURCE <data source>`,
      );
    pipe.materialized.datasource = n.datasource;
  }
  return { value: pipe, warnings };
}
