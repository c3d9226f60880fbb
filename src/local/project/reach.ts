// What a datafile's SQL may reach. Datafile SQL runs without the token holders' SQL guard: the text of every node
// (rendered, as it is sent) and every data source's CREATE TABLE is read here first, token by token as ClickHouse's
// lexer reads it, so that no project, and above all no workspace built over /v1 by its own admin token, reaches the
// host (file(), url(), executable(), a disk of its own...), another table engine's source, the server's databases
// (system, the scratch and workspace databases) or, from a /v1 workspace, the default workspace's tables.
// Where this reading and ClickHouse's could differ (nested comments), this one sees more code, never less.
import { DOC, HttpError } from '../errors';
import type { ProjectSnapshot } from './datafiles';

/**
 * Functions that read files, hosts, dictionaries or other tables by name, or the server's state. Tinybird refuses them
 * in pipes too; the row generators (numbers(), generateRandom()...) are not among them.
 */
const HOST_FUNCTIONS =
  /^(file|filecluster|url|urlcluster|remote\w*|cluster\w*|s3\w*|gcs|hdfs\w*|azureblobstorage\w*|iceberg\w*|deltalake\w*|hudi\w*|executable\w*|jdbc|odbc|mysql|postgresql|sqlite|mongodb|redis|ytsaurus|arrowflight|input|merge|loop|dictionary|dict\w*|hascolumnintable|mergetree\w+|disk|getmacro|getserversetting|getclienthttpheader|filesystem\w*|catboostevaluate|modelevaluate|evalmlmethod|naivebayesclassifier|fuzz\w*)$/;

/** The tables of `system` that only generate rows, as Tinybird lets pipes read them (`FROM system.numbers`). */
const SYSTEM_GENERATORS = /^(numbers|numbers_mt|zeros|zeros_mt|one)$/;
/** Databases no datafile reads: the engine's own, the staged builds' and the /v1 workspaces'. */
const SERVER_DATABASES = /^(system|information_schema|_temporary_and_external_tables|_ws_\w*|_build_\w*)$/;
/** ...and from a workspace built over /v1, the default workspace's and the service data sources'. */
const OTHER_WORKSPACES = /^(default|tinybird|organization)$/;

/** Settings that would lift the server's per-query limits (--query-timeout, --query-memory) or its read-only mode. */
const LIMITS =
  /^(max_execution_time\w*|timeout_overflow_mode\w*|max_estimated_execution_time|max_memory_usage\w*|max_guaranteed_memory_usage\w*|memory_overcommit\w*|memory_usage_overcommit\w*|max_untracked_memory|max_server_memory\w*|readonly)$/i;

/** Tinybird's table engines (ClickHouse's others read files, hosts or other tables, or write into them). */
const ENGINES = /^((Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing)?MergeTree|Null|Join|Memory|Set)$/;

/**
 * `snapshot` as a workspace built over /v1 by its own admin token is served: its SQL confined to its own data sources,
 * and none of the server's environment as secrets (tb_secret() would hand that token the operator's variables).
 */
export function confine(snapshot: ProjectSnapshot): ProjectSnapshot {
  return { ...snapshot, confined: true, secrets: new Map() };
}

/** A datafile's SQL reaching what it may not: a 400 on a request, a refused datafile in a build. */
export class ReachError extends HttpError {}

type Token = { kind: 'name' | 'string' | 'char'; text: string };

/**
 * Throws a 400 naming what `sql` (a datafile's rendered node or DDL) may not reach. `confined`: the SQL of a workspace
 * built over /v1, which reads its own tables only.
 */
export function checkReach(sql: string, confined: boolean, what: string): void {
  const problem = reachProblem(sql, confined);
  if (problem !== undefined) throw new ReachError(400, `${what}: ${problem}`, DOC.pipes);
}

/** What `sql` may not reach, in words, or undefined. */
export function reachProblem(sql: string, confined: boolean): string | undefined {
  const tokens = tokenize(sql);
  const problem = firstProblem(tokens, confined);
  // A second statement is refused anyway where every text meets chDB (engine/single-statement.ts): say that, the
  // root of it, rather than what the second statement reaches.
  const semicolon = tokens.findIndex((t) => t.text === ';');
  if (problem !== undefined && semicolon !== -1 && semicolon < tokens.length - 1)
    return 'Syntax error: Multi-statements are not allowed (a datafile or query holds a `;` followed by more SQL)';
  return problem;
}

function firstProblem(tokens: Token[], confined: boolean): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'name') continue;
    const next = tokens[i + 1];
    const name = token.text.toLowerCase();
    if (name === 'settings') {
      const lifted = settingsAt(tokens, i + 1).find((setting) => LIMITS.test(setting));
      if (lifted !== undefined) return `SETTINGS ${lifted} would lift the server's limits: leave it out`;
    }
    if (next?.text === '(' && HOST_FUNCTIONS.test(name))
      return `the function ${token.text}() is not allowed in a datafile (it reads files, hosts or other tables)`;
    // joinGet('join_ds', ...) reads a Join data source by name: of its own workspace only, so the name must be written
    // out (a constant expression such as concat('default', '.x') could name any other).
    if (confined && /^joinget/.test(name) && next?.text === '(') {
      const table = tokens[i + 2];
      if (table?.kind !== 'string' || tokens[i + 3]?.text !== ',' || table.text.includes('.'))
        return `${token.text}() must name a Join data source of this workspace as a string: a workspace reads its own data sources`;
    }
    if (next?.text === '.' && tokens[i + 2]?.kind === 'name') {
      if (name === 'system' && SYSTEM_GENERATORS.test(tokens[i + 2]!.text)) continue;
      if (SERVER_DATABASES.test(name) || name.startsWith('_ws_') || name.startsWith('_build_'))
        return `the database ${token.text} cannot be read from a datafile`;
      if (confined && OTHER_WORKSPACES.test(name))
        return `${token.text}.${tokens[i + 2]!.text} belongs to another workspace: a workspace reads its own data sources`;
    }
  }
  return undefined;
}

/** The names a SETTINGS clause starting at `from` sets (`a = 1, b = 'x'`): each name before an `=`, to its end. */
function settingsAt(tokens: Token[], from: number): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const { kind, text } = tokens[i]!;
    if (text === '(') depth++;
    else if (text === ')' && --depth < 0) break;
    else if (kind === 'name' && tokens[i + 1]?.text === '=') names.push(text);
  }
  return names;
}

/** Throws a 400 unless `engine` (ENGINE of a .datasource, with or without arguments) is one of Tinybird's. */
export function checkEngine(engine: string): void {
  // The name bare or in the quotes ClickHouse reads as an identifier's (backticks, double quotes, and the Unicode ones
  // “ ” that projects copied from a rich-text editor carry, and that Tinybird passes on to ClickHouse).
  const name = /^\s*[`"“]?(\w*)/.exec(engine)?.[1] ?? '';
  if (!ENGINES.test(name))
    throw new HttpError(
      400,
      `ENGINE "${engine.slice(0, 80)}" is not supported: use MergeTree, ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree, CollapsingMergeTree, VersionedCollapsingMergeTree, Null or Join`,
      DOC.datasources,
    );
}

/** Names (bare or quoted, unquoted here), strings and the other characters that are code; comments left out. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') i = lineEnd(sql, i);
    else if (c === '#' && (next === ' ' || next === '!')) i = lineEnd(sql, i);
    else if (c === '/' && next === '*') {
      // The first */ ends it: ClickHouse nests comments, so what it reads as comment after that is read as code here.
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (/\s/.test(c)) i += 1;
    else if (c === "'" || c === '"' || c === '`') {
      const { end, text } = quotedEnd(sql, i, c);
      tokens.push({ kind: c === "'" ? 'string' : 'name', text });
      i = end;
    } else if (c === '$' && /^\$(?:[A-Za-z_]\w*)?\$/.test(sql.slice(i, i + 256))) {
      const tag = /^\$(?:[A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 256))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close === -1 ? sql.length : close + tag.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 1024))![0];
      tokens.push({ kind: 'name', text: word });
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      // A number (1.5, 1e-3, 0x1F) is one token: `1.x` is not a name followed by a dot.
      i += /^[0-9][0-9A-Za-z_.]*(?:[eEpP][+-]?[0-9]+)?/.exec(sql.slice(i, i + 1024))![0].length;
    } else {
      tokens.push({ kind: 'char', text: c });
      i += 1;
    }
  }
  return tokens;
}

function lineEnd(sql: string, from: number): number {
  const newline = sql.indexOf('\n', from);
  return newline === -1 ? sql.length : newline + 1;
}

/** The end of the quoted text starting at `from` (backslash escapes, doubled quotes) and its content unescaped. */
function quotedEnd(sql: string, from: number, quote: string): { end: number; text: string } {
  let i = from + 1;
  let text = '';
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\') {
      text += sql[i + 1] ?? '';
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return { end: i + 1, text };
      text += quote;
      i += 2;
    } else {
      text += c;
      i += 1;
    }
  }
  return { end: sql.length, text };
}
