// The parameters an endpoint reads: those of its nodes and of every pipe they read as a table (rendered with the same
// request parameters), each with its type, whether it is required, its default and description.
import { isTemplated, templateParameters, type SourceNode } from './adapter';
import { paramType, type GeneratedParam } from './param-type';
import { paramUses } from './param-uses';

/** A template that does not parse: where, and the template's message. */
export class TemplateProblem extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly node: string,
    readonly problem: string,
  ) {
    super(`${file}:${line}: node "${node}": ${problem}`);
  }
}

const TABLE_REFERENCE = /\b(?:FROM|JOIN)\s+(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))(?!\s*\()/gi;

/** The pipes whose nodes `nodes` may render: the pipe itself and those it reads as tables, transitively. */
function nodesRead(start: SourceNode[], pipes: ReadonlyMap<string, SourceNode[]>, own: string): SourceNode[] {
  const seen = new Set([own]);
  const out: SourceNode[] = [];
  const visit = (nodes: SourceNode[]) => {
    const names = new Set(nodes.map((n) => n.name));
    for (const node of nodes) {
      out.push(node);
      for (const m of node.sql.matchAll(TABLE_REFERENCE)) {
        const name = m[1] ?? m[2] ?? '';
        const other = pipes.get(name);
        if (!other || names.has(name) || seen.has(name)) continue;
        seen.add(name);
        visit(other);
      }
    }
  };
  visit(start);
  return out;
}

/**
 * The parameters of an endpoint whose nodes are `nodes` (in `file`), in the order the templates first use them.
 * Required: `required=True`, or a typed use with no default that renders whatever the request holds (outside any
 * `{% if %}`/`{% for %}` body, no `defined()` beside it) of a parameter no `{% if %}` test names.
 * Throws {@link TemplateProblem} for a template that does not parse.
 *
 * @example
 * ```ts
 * endpointParams('top.pipe', [{ name: 'n', sql: '%\nSELECT {{Int32(limit, 10)}}', line: 3 }], new Map());
 * // [{ name: 'limit', ts: 'number', required: false, default: 10 }]
 * ```
 */
export function endpointParams(
  file: string,
  nodes: SourceNode[],
  pipes: ReadonlyMap<string, SourceNode[]>,
  own = '',
): GeneratedParam[] {
  const found = new Map<string, GeneratedParam>();
  const guarded = new Set<string>();
  const demanding = new Set<string>();
  const compared = new Map<string, Array<string | number>>();
  for (const node of nodesRead(nodes, pipes, own)) {
    if (!isTemplated(node.sql)) continue;
    let uses: ReturnType<typeof paramUses>;
    let listed: ReturnType<typeof templateParameters>;
    try {
      uses = paramUses(node.sql);
      listed = templateParameters(node.sql);
    } catch (error) {
      const at = /line (\d+)/.exec((error as Error).message);
      throw new TemplateProblem(file, node.line + (at ? Number(at[1]) : 0), node.name, (error as Error).message);
    }
    for (const name of uses.guarded) guarded.add(name);
    for (const name of uses.demanding) demanding.add(name);
    for (const [name, values] of uses.compared) compared.set(name, [...(compared.get(name) ?? []), ...values]);
    for (const p of listed) {
      const prev = found.get(p.name);
      const next: GeneratedParam = {
        name: p.name,
        ts: prev?.ts ?? paramType(p, uses.enums.get(p.name)),
        required: (prev?.required ?? false) || p.required,
      };
      const description = prev?.description ?? p.description;
      const def = prev?.default ?? p.default;
      if (description !== undefined) next.description = description;
      if (def !== undefined) next.default = def;
      found.set(p.name, next);
    }
    // A parameter a test reads but no type function declares: still a parameter the pipe reads.
    for (const name of uses.named)
      if (!found.has(name) && definedOnly(node.sql, name))
        found.set(name, { name, ts: 'string | number | boolean', required: false });
  }
  return [...found.values()].map((p) => ({
    ...p,
    required: p.required || (demanding.has(p.name) && !guarded.has(p.name)),
    ...(compared.has(p.name) && { compared: [...new Set(compared.get(p.name))] }),
  }));
}

/** Whether `name` appears as `defined(name)` in the template text (not only as a variable in an if test). */
function definedOnly(sql: string, name: string): boolean {
  return new RegExp(`\\bdefined\\(\\s*${name}\\s*\\)`).test(sql);
}
