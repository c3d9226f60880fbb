// The classic CLI's `VERSION <n>`: `tb push` names the resource `<name>__v<n>` in the workspace (clients call
// `/v0/pipes/<name>__v<n>.json` and append to `<name>__v<n>`), and rewrites the bare names a pipe reads or writes into
// to the versioned ones. Pipes may also name `<name>__v<n>` themselves.
import type { DataSource, Pipe, PipeNode } from './datafiles';
import { directives, unquote } from './directives';

/** The `VERSION <n>` of a datafile (parsed already, so its text reads), if any. */
export function versionOf(text: string, file: string): number | undefined {
  const args = directives(text, file).find((d) => d.keyword === 'VERSION')?.args;
  return args !== undefined && /^\d+$/.test(unquote(args)) ? Number(unquote(args)) : undefined;
}

/** The name a datafile's resource has in the workspace. */
export const versionedName = (name: string, version: number | undefined) =>
  version === undefined ? name : `${name}__v${version}`;

/** `<name>__v<n>` -> `<name>`, for the versioned names only. */
function bareOf(name: string): string | undefined {
  return /^(.+)__v\d+$/.exec(name)?.[1];
}

/**
 * The versioned resource a bare name stands for: `x` -> `x__v2` when the project has `x__v2` and no `x` itself (the
 * highest version when there are several).
 */
export function versionedNames(names: Iterable<string>): Map<string, string> {
  const all = new Set(names);
  const out = new Map<string, string>();
  for (const name of all) {
    const bare = bareOf(name);
    if (bare === undefined || all.has(bare)) continue;
    const other = out.get(bare);
    if (other === undefined || versionNumber(name) > versionNumber(other)) out.set(bare, name);
  }
  return out;
}

const versionNumber = (name: string) => Number(/__v(\d+)$/.exec(name)?.[1] ?? -1);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `sql` with the bare names of versioned resources it reads as tables replaced by the versioned ones, the way the
 * classic CLI does: a name it reads (after FROM or JOIN) is replaced wherever it stands between spaces, quotes or a
 * closing parenthesis.
 */
export function rewriteSql(sql: string, versions: ReadonlyMap<string, string>): string {
  let out = sql;
  for (const [bare, versioned] of versions) {
    if (!new RegExp(`\\b(?:FROM|JOIN)\\s+\`?${escape(bare)}\`?(?![\\w.])`, 'i').test(out)) continue;
    out = out.replace(
      new RegExp(`([\\t \\n'\`(]+|^)${escape(bare)}(?=[\\t \\n'\`),]|$)`, 'g'),
      (_, before: string) => `${before}${versioned}`,
    );
  }
  return out;
}

/** A pipe with the bare names of versioned resources it reads and writes into replaced by the versioned ones. */
export function withVersionedReferences(pipe: Pipe, versions: ReadonlyMap<string, string>): Pipe {
  if (versions.size === 0) return pipe;
  const target = (name: string | undefined) => (name === undefined ? undefined : (versions.get(name) ?? name));
  const own = new Set(pipe.nodes.map((n) => n.name));
  // A node's own name wins over a data source's: the pipe reads its node.
  const outside = new Map([...versions].filter(([bare]) => !own.has(bare)));
  const nodes = pipe.nodes.map((node): PipeNode => ({
    ...node,
    sql: rewriteSql(node.sql, outside),
    ...(node.datasource !== undefined ? { datasource: target(node.datasource) } : {}),
    ...(node.copy ? { copy: { ...node.copy, target: target(node.copy.target) } } : {}),
  }));
  return {
    ...pipe,
    nodes,
    ...(pipe.materialized
      ? { materialized: { ...pipe.materialized, datasource: target(pipe.materialized.datasource)! } }
      : {}),
    ...(pipe.copy ? { copy: { ...pipe.copy, datasource: target(pipe.copy.datasource)! } } : {}),
  };
}

/** The data source a fixture named after a datafile (`x.ndjson`) feeds: `x`, or `x__v<n>` when `x` is versioned. */
export function datasourceForFixture(
  datasources: ReadonlyMap<string, DataSource>,
  name: string,
): DataSource | undefined {
  return datasources.get(name) ?? datasources.get(versionedNames(datasources.keys()).get(name) ?? '');
}
