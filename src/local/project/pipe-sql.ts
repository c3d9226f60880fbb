// The SQL that runs a pipe: each node a CTE (its template rendered with the request's parameters), and every pipe it
// reads as a table (`FROM other_pipe`) a CTE too, rendered with the same parameters, as Tinybird does for endpoints,
// materialized and copy pipes and the Query API.
import { DOC, HttpError } from '../errors';
import { isTemplated, renderTemplate } from '../template';
import type { Pipe, Project } from './datafiles';
import { checkReach } from './reach';

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The names a query reads as tables: the word after FROM or JOIN (backticked or bare). */
const TABLE_REFERENCE = /\b(?:FROM|JOIN)\s+(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))(?!\s*\()/gi;

/**
 * A node's SQL with its template rendered (tb_secret() reading the project's secrets), without a trailing `;`, once
 * checked for what it may reach (reach.ts): every node runs through here, whatever runs it.
 */
export function nodeSql(project: Project, sql: string, params: Record<string, unknown>, where: string): string {
  const rendered = (isTemplated(sql) ? renderTemplate(sql, params, project.secrets) : sql).trim().replace(/;\s*$/, '');
  checkReach(rendered, project.confined === true, where);
  return rendered;
}

/** Every name `sql` reads as a table (data sources, pipes, CTEs alike). */
export function tablesReadBy(sql: string): string[] {
  return [...new Set([...sql.matchAll(TABLE_REFERENCE)].map((m) => m[1] ?? m[2] ?? ''))];
}

/** The pipes of `project` that `sql` reads as tables, leaving out `shadowed` names (the caller's own nodes). */
export function pipesReadBy(sql: string, project: Project, shadowed: ReadonlySet<string> = new Set()): string[] {
  const names = new Set<string>();
  for (const m of sql.matchAll(TABLE_REFERENCE)) {
    const name = m[1] ?? m[2] ?? '';
    if (project.pipes.has(name) && !shadowed.has(name)) names.add(name);
  }
  return [...names];
}

/** Which node a pipe read as a table gives: its endpoint, else its last node. */
const outputNode = (pipe: Pipe) => pipe.endpoint ?? pipe.nodes.length - 1;

/**
 * CTEs, in dependency order, that define `pipe`'s nodes up to `last` (the output node named `outputAs` when given)
 * and every pipe they read as a table. `into` collects them across calls so each pipe is defined once.
 */
export function pipeCtes(
  project: Project,
  pipe: Pipe,
  last: number,
  params: Record<string, unknown>,
  outputAs?: string,
  into: Map<string, string> = new Map(),
): string[] {
  addPipeNodes(project, pipe, last, params, into, [pipe.name], outputAs);
  return [...into.values()];
}

/** CTEs for the pipes among `tables` (what a free query, the Query API, reads as tables, from its parse). */
export function ctesForQuery(project: Project, tables: Iterable<string>, params: Record<string, unknown>): string[] {
  const into = new Map<string, string>();
  for (const name of tables) if (project.pipes.has(name)) addPipe(project, name, params, into, []);
  return [...into.values()];
}

/**
 * The nodes that output node `last` needs, rendered, each after the nodes it reads and the output node last. A node may
 * read any other node of its pipe, defined before or after it, as in Tinybird. As in Tinybird, the output node is
 * rendered first (its error() answers before a parameter check of a node it reads) and a node nothing reads is not
 * rendered at all.
 */
function renderNodes(
  project: Project,
  pipe: Pipe,
  last: number,
  params: Record<string, unknown>,
): Array<{ name: string; sql: string }> {
  const nodes = pipe.nodes;
  const rendered = new Map<number, string>();
  const reads = new Map<number, number[]>();
  const visit = (i: number) => {
    if (rendered.has(i)) return;
    const sql = nodeSql(project, nodes[i]!.sql, params, `Pipe ${pipe.name}, node ${nodes[i]!.name}`);
    rendered.set(i, sql);
    const tables = new Set(tablesReadBy(sql));
    // A node before this one is read when its name appears at all (as before); one after it only when it is read as
    // a table, so a column that happens to share a later node's name does not pull that node in.
    const read = nodes.flatMap((node, j) =>
      j !== i && (j < i ? mentions(sql, node.name) : tables.has(node.name) || readsIn(sql, node.name)) ? [j] : [],
    );
    reads.set(i, read);
    for (const j of read) visit(j);
  };
  visit(last);
  return inDependencyOrder([...rendered.keys()], reads, last).map((i) => ({
    name: nodes[i]!.name,
    sql: rendered.get(i)!,
  }));
}

/**
 * `indices` ordered so each comes after those it reads (a CTE may only name the CTEs before it), in file order where
 * that leaves a choice, and `last` at the end. Nodes that seem to read each other in a cycle keep their file order.
 */
function inDependencyOrder(indices: number[], reads: Map<number, number[]>, last: number): number[] {
  const pending = new Set(indices.filter((i) => i !== last));
  const order: number[] = [];
  while (pending.size > 0) {
    const sorted = [...pending].sort((a, b) => a - b);
    const ready = sorted.find((i) => !(reads.get(i) ?? []).some((j) => pending.has(j))) ?? sorted[0]!;
    pending.delete(ready);
    order.push(ready);
  }
  return [...order, last];
}

const mentions = (sql: string, name: string) => new RegExp(`(^|[^\\w])${name}([^\\w]|$)`).test(sql);
/** `x IN node` (or `IN \`node\``): ClickHouse reads a table on the right of IN too. */
const readsIn = (sql: string, name: string) => new RegExp(`\\bIN\\s+\`?${name}\`?([^\\w(]|$)`, 'i').test(sql);

function addPipeNodes(
  project: Project,
  pipe: Pipe,
  last: number,
  params: Record<string, unknown>,
  into: Map<string, string>,
  stack: string[],
  outputAs?: string,
): void {
  const nodes = renderNodes(project, pipe, last, params);
  const own = new Set(pipe.nodes.map((n) => n.name));
  for (const [i, { name: node, sql }] of nodes.entries()) {
    for (const name of pipesReadBy(sql, project, own)) addPipe(project, name, params, into, stack);
    const name = i === nodes.length - 1 && outputAs !== undefined ? outputAs : node;
    into.set(`node:${pipe.name}:${name}`, `${quote(name)} AS (\n${sql}\n)`);
  }
}

/** Defines pipe `name` as one CTE: its own nodes nested inside, the pipes it reads defined before it. */
function addPipe(
  project: Project,
  name: string,
  params: Record<string, unknown>,
  into: Map<string, string>,
  stack: string[],
): void {
  if (into.has(`pipe:${name}`)) return;
  if (stack.includes(name))
    throw new HttpError(400, `Pipes read each other in a cycle: ${[...stack, name].join(' -> ')}`, DOC.pipes);
  const pipe = project.pipes.get(name)!;
  const inner: string[] = [];
  const nodes = renderNodes(project, pipe, outputNode(pipe), params);
  const own = new Set(pipe.nodes.map((n) => n.name));
  for (const node of nodes) {
    for (const other of pipesReadBy(node.sql, project, own)) addPipe(project, other, params, into, [...stack, name]);
    inner.push(`${quote(node.name)} AS (\n${node.sql}\n)`);
  }
  const body = `WITH ${inner.join(',\n')}\nSELECT * FROM ${quote(nodes.at(-1)!.name)}`;
  into.set(`pipe:${name}`, `${quote(name)} AS (\n${body}\n)`);
}
