// What materialized pipes need from the engine: each one's SELECT (templates with their defaults, as Tinybird
// populates), in an order where a chain fills step by step, and an INSERT that matches columns by name as a view does.
import { DatafileError, type Pipe, type Project } from '../project/datafiles';
import { pipeCtes, tablesReadBy } from '../project/pipe-sql';
import { quote, quoteTable } from './ddl';
import type { Writer } from './writer';

/**
 * The SELECT of a pipe's output node `last`: every node up to it as a CTE (templates rendered with `params`, with
 * their defaults when there are none, as Tinybird populates), as an endpoint is run, and the pipes it reads. For
 * materialized and copy nodes, which write their result into a data source.
 */
export function outputSelect(project: Project, pipe: Pipe, last: number, params: Record<string, unknown> = {}): string {
  const ctes = pipeCtes(project, pipe, last, params);
  return `WITH ${ctes.join(',\n')}\nSELECT * FROM ${quote(pipe.nodes[last]!.name)}`;
}

/**
 * The materialized pipes with their SELECT (templates rendered with their defaults), ordered so that a pipe reading
 * another one's target comes after it: the first fill of a chain then sees the rows of the step before. A pipe whose
 * template cannot render without parameters is refused through `fail`.
 */
export function materializedInOrder(
  project: Project,
  fail: (pipe: Pipe, error: DatafileError) => void,
): Array<{ pipe: Pipe; select: string; reads: string[] }> {
  const pending: Array<{ pipe: Pipe; select: string; reads: string[] }> = [];
  for (const pipe of project.pipes.values()) {
    if (!pipe.materialized) continue;
    const at = pipe.nodes[pipe.materialized.node]!;
    try {
      const select = outputSelect(project, pipe, pipe.materialized.node);
      pending.push({ pipe, select, reads: tablesReadBy(select) });
    } catch (error) {
      fail(
        pipe,
        new DatafileError(
          pipe.file,
          at.line,
          `cannot render node "${at.name}" without parameters: ${(error as Error).message}`,
        ),
      );
    }
  }
  const ordered: Array<{ pipe: Pipe; select: string; reads: string[] }> = [];
  while (pending.length > 0) {
    const targets = new Set(pending.map((p) => p.pipe.materialized!.datasource));
    const ready = pending.findIndex(
      (p) => !p.reads.some((t) => targets.has(t) && t !== p.pipe.materialized!.datasource),
    );
    const [next] = pending.splice(ready === -1 ? 0 : ready, 1);
    ordered.push(next!);
  }
  return ordered;
}

/**
 * `INSERT INTO target SELECT ...` matching columns by name, as a materialized view writes: a target column the
 * SELECT does not give keeps its default, and the order of the SELECT's columns does not matter.
 */
export async function insertByName(writer: Writer, target: string, select: string): Promise<string> {
  const given = new Set((await writer.rows(`DESCRIBE TABLE (${select})`)).map((column) => String(column['name'])));
  const columns = (await writer.rows(`DESCRIBE TABLE ${quoteTable(target)}`))
    .map((column) => String(column['name']))
    .filter((name) => given.has(name))
    .map(quote)
    .join(', ');
  return `INSERT INTO ${quoteTable(target)} (${columns}) SELECT ${columns} FROM (${select})`;
}
