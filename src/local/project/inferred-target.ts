// A classic materialized pipe may name a target no .datasource file defines: Tinybird's CLI then creates it from the
// node, with the node's ENGINE lines or, without them, an engine chosen from what the node returns.
import { DatafileError, type DatafileProblem, type DataSource, type Pipe } from './datafiles';
import { isNullable } from '../clickhouse-types';

/** A column as `DESCRIBE TABLE (<select>)` reports it. */
export interface DescribedColumn {
  name: string;
  type: string;
}

const AGGREGATE = /^(Simple)?AggregateFunction\(/;

/**
 * The data source a materialized `pipe` writes into when none is declared: the node's columns, and its `ENGINE*`
 * lines if it has them. Otherwise rows of aggregate states (`countState()`...) go to an AggregatingMergeTree sorted by
 * the other columns (the GROUP BY keys), so the states of one key merge as on Tinybird; other rows to a MergeTree.
 */
export function inferredTarget(pipe: Pipe, columns: DescribedColumn[]): DataSource {
  const { node: index, datasource } = pipe.materialized!;
  const node = pipe.nodes[index]!;
  const keys = columns.filter((c) => !AGGREGATE.test(c.type) && !isNullable(c.type)).map((c) => `\`${c.name}\``);
  const aggregating = columns.some((c) => AGGREGATE.test(c.type));
  const engine =
    node.engine && Object.keys(node.engine).length > 0
      ? { ...node.engine }
      : aggregating
        ? { engine: 'AggregatingMergeTree', ...(keys.length > 0 ? { sorting_key: keys.join(', ') } : {}) }
        : { engine: 'MergeTree' };
  return {
    kind: 'datasource',
    name: datasource,
    file: pipe.file,
    columns: columns.map((c) => ({ name: c.name, type: c.type, jsonPath: [{ key: c.name }], line: node.line })),
    engine,
    tokens: [],
    line: node.line,
  };
}

/**
 * Why a materialized `pipe` cannot write into its target: the target's .datasource file was refused (a parse error,
 * or ClickHouse refused its table). Target inference is only for a target no file defines: a refused one must not
 * come back made from the node, taking rows its own file was refused for.
 */
export function refusedTarget(pipe: Pipe, problems: readonly DatafileProblem[]): DatafileError | undefined {
  const { node, datasource } = pipe.materialized!;
  const refused = problems.find((p) => p.kind === 'datasource' && p.name === datasource);
  if (!refused) return undefined;
  return new DatafileError(
    pipe.file,
    pipe.nodes[node]!.line,
    `node "${pipe.nodes[node]!.name}" materializes into "${datasource}", which is not served: ${refused.file}:${refused.line}: ${refused.problem}`,
  );
}
