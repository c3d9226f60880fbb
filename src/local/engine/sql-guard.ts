// Checks SQL written by a token holder (`q=` over a pipe, the Query API) with ClickHouse's own parser before it runs:
// one SELECT statement, reading only the tables it was given, no table functions but those generating rows, no
// functions that reach the host, no SETTINGS or INTO OUTFILE. A trailing FORMAT is taken off and returned.
import type { Session } from 'chdb';
import { DOC, HttpError, isChdbClosed } from '../errors';

export interface GuardOptions {
  /** Names a table expression may read: the CTEs the caller puts in front (`_`, filtered data sources). */
  allowed: ReadonlySet<string>;
  /** Tables that exist in the database. Naming one that is not allowed is refused; any other name can only be a CTE of the query itself. */
  existing: ReadonlySet<string>;
  /** The error for a table that exists but may not be read. */
  forbidden: (name: string) => HttpError;
  documentation?: string;
}

export interface GuardedSql {
  /** The query in ClickHouse's canonical one-line form, FORMAT removed. */
  sql: string;
  /** The FORMAT the query asked for, if any. */
  format?: string;
  /** Every name the query reads as a table (CTEs included), from ClickHouse's own parse: what the caller must render. */
  tables: ReadonlySet<string>;
}

const IN_FUNCTIONS = new Set([
  'in',
  'notin',
  'globalin',
  'globalnotin',
  'nullin',
  'notnullin',
  'globalnullin',
  'globalnotnullin',
]);
// Scalar functions that read files, dictionaries, other tables or server state, or stall the engine.
const DENIED =
  /^(file|joinget\w*|dict\w*|hascolumnintable|catboostevaluate|modelevaluate|evalmlmethod|naivebayesclassifier|sleep|sleepeachrow|getmacro|getserversetting|getsetting|filesystem\w*|getclienthttpheader|currentprofiles|currentroles|enabledroles|defaultroles|getserverport|tcpport|hostname|fqdn|uptime|__\w*|_\w*internal\w*|input|s3|url|remote\w*|cluster\w*|mysql|postgresql|executable|hdfs|azureblobstorage|gcs|iceberg\w*|deltalake\w*|hudi\w*|view\w*|merge|loop|fuzz\w*)$/i;
// Table functions that only generate rows (no files, hosts or tables), as Tinybird allows them: `tb mock` fixtures and
// time series (`FROM numbers(61)`) use them. The per-query time and memory limits bound what they make.
const GENERATORS = /^(numbers|numbers_mt|zeros|zeros_mt|generateRandom|generate_series|generateSeries|values)$/i;
const MAX_SQL = 256 * 1024;

interface AstNode {
  type: string;
  text: string;
  children: AstNode[];
}

/**
 * Parses `sql` on `session` (a readonly one) and throws an HttpError 400/403 when it may not run.
 *
 * @example
 * const { sql, format } = await guardSql(session, 'SELECT count() FROM _ FORMAT JSON', { allowed: new Set(['_']), existing, forbidden });
 */
export async function guardSql(session: Session, input: string, options: GuardOptions): Promise<GuardedSql> {
  const doc = options.documentation ?? DOC.sql;
  const bad = (message: string) => new HttpError(400, message, doc);
  if (input.length > MAX_SQL) throw bad(`The query is longer than ${MAX_SQL} characters`);
  if (input.trim() === '') throw bad('The query is empty: send a SELECT statement');
  let canonical: string;
  try {
    // The text is bound as a parameter, never spliced: a second statement is a parse error, not a second query.
    const result = await session.queryBindAsync(
      'SELECT formatQuerySingleLine({q:String}) AS f',
      { q: input },
      { format: 'JSONEachRow' },
    );
    canonical = (JSON.parse(result.text().trim()) as { f: string }).f;
  } catch (error) {
    // A session closed by a shutdown is not the query's fault: the engine answers it with a 503.
    if (isChdbClosed(error)) throw error;
    throw bad(`[Error] ${cleanMessage(error)}`);
  }
  if (/[\r\n\0]/.test(canonical)) throw bad('The query contains control characters in an identifier');
  let dump: string;
  try {
    dump = (await session.queryAsync(`EXPLAIN AST ${canonical}`, { format: 'TSVRaw' })).text();
  } catch (error) {
    if (isChdbClosed(error)) throw error;
    const code = (error as { clickhouseCode?: number }).clickhouseCode;
    if (code === 164) throw bad('SETTINGS are not allowed in the query');
    throw bad(`[Error] ${cleanMessage(error)}`);
  }
  const root = parseDump(dump, bad);
  if (root.type !== 'SelectWithUnionQuery') throw bad('Only SELECT queries are allowed');
  const [body, ...clauses] = root.children;
  let format: string | undefined;
  for (const clause of clauses) {
    if (clause.type === 'Identifier' && /^\w+$/.test(clause.text)) format = clause.text;
    else if (clause.type === 'Set') throw bad('SETTINGS are not allowed in the query');
    else throw bad('INTO OUTFILE is not allowed in the query');
  }
  const tables = new Set<string>();
  if (body) check(body, undefined, options, bad, tables);
  let sql = canonical;
  if (format !== undefined) {
    const suffix = ` FORMAT ${format}`;
    if (!sql.endsWith(suffix)) throw bad('Put FORMAT at the very end of the query');
    sql = sql.slice(0, -suffix.length);
  }
  return format === undefined ? { sql, tables } : { sql, format, tables };
}

function parseDump(dump: string, bad: (m: string) => HttpError): AstNode {
  const lines = dump.replace(/\n+$/, '').split('\n');
  const stack: AstNode[] = [];
  let root: AstNode | undefined;
  for (const line of lines) {
    const m = /^( *)([A-Za-z]+)(?: (.*))?$/.exec(line);
    const depth = m?.[1]?.length ?? -1;
    if (!m || depth > stack.length || (depth === 0 && root))
      throw bad('The query could not be checked (unexpected characters in an identifier?)');
    const rest = (m[3] ?? '').replace(/ \(children \d+\)$/, '');
    const node: AstNode = { type: m[2] ?? '', text: rest.replace(/ \(alias .*\)$/, ''), children: [] };
    stack.length = depth;
    if (depth === 0) root = node;
    else stack[depth - 1]?.children.push(node);
    stack.push(node);
  }
  if (!root) throw bad('The query could not be checked');
  return root;
}

function check(
  node: AstNode,
  parent: AstNode | undefined,
  options: GuardOptions,
  bad: (m: string) => HttpError,
  tables: Set<string>,
): void {
  if (node.type === 'TableIdentifier') {
    checkTable(node.text, options, bad);
    tables.add(node.text);
  } else if (node.type === 'Set') throw bad('SETTINGS are not allowed in the query');
  else if (node.type === 'Function') {
    const name = node.text.split(' ')[0] ?? '';
    if (parent?.type === 'TableExpression' && !GENERATORS.test(name))
      throw bad(`Table functions such as ${name}() are not allowed: read the tables you were given`);
    if (DENIED.test(name)) throw bad(`The function ${name}() is not allowed`);
    if (IN_FUNCTIONS.has(name.toLowerCase())) {
      // `x IN events` reads the table itself even where a CTE of that name filters it: ask for a subquery instead.
      const target = node.children[0]?.children[1];
      if (
        target?.type === 'Identifier' &&
        (target.text.includes('.') || options.allowed.has(target.text) || options.existing.has(target.text))
      ) {
        throw bad(`Write \`IN (SELECT ... FROM ${target.text})\` instead of \`IN ${target.text}\``);
      }
    }
  }
  for (const child of node.children) check(child, node, options, bad, tables);
}

function checkTable(name: string, options: GuardOptions, bad: (m: string) => HttpError): void {
  if (options.allowed.has(name)) return;
  // `workspace.name` of a shared data source exists as such; any other qualified name reaches past the data sources.
  if (options.existing.has(name)) throw options.forbidden(name);
  if (name.includes('.')) throw bad(`Tables of other databases cannot be read (${name})`);
}

/** ClickHouse's message without the stack trace and version noise. */
export function cleanMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (
    text
      // chDB nests the engine's prefix ("Code: 25. DB::Exception: Code: 25. DB::Exception: ...") and suffixes.
      .replace(/(?:Code: \d+\. )?DB::Exception: /g, '')
      .replace(/ \(version [^)]*\)/g, '')
      .replace(/\.? \([A-Z][A-Z0-9_]{3,}\)/g, '')
      .replace(/Stack trace[\s\S]*$/, '')
      // The scope repeats the whole query (or our formatQuery wrapper around it): noise for the caller.
      .replace(/[.:]?\s*in scope [\s\S]*$/i, '')
      .trim()
      .slice(0, 2000)
  );
}
