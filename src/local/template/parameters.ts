// Which request parameters a template declares, read from its type-function calls (for docs and listings).
import { walk, type Expr } from './ast';
import type { Node } from './blocks';
import { TYPE_FUNCTIONS } from './types';
import { Opaque, Sql, Typed, type Value } from './values';

export interface TemplateParameter {
  name: string;
  type: string;
  default?: unknown;
  required: boolean;
  description?: string;
}

const IDENTIFIER_FUNCTIONS = new Set(['column', 'Column', 'symbol', 'Symbol', 'columns', 'table', 'TABLE']);

function exprs(nodes: Node[]): Expr[] {
  return nodes.flatMap((n): Expr[] => {
    switch (n.k) {
      case 'expr':
        return [n.expr];
      case 'set':
        return [n.expr];
      case 'for':
        return [n.iter, ...exprs(n.body)];
      case 'if':
        return n.branches.flatMap((b) => [...(b.test ? [b.test] : []), ...exprs(b.body)]);
      default:
        return [];
    }
  });
}

/** A literal (or a list of literals, or a negative number) as plain JSON; undefined when it needs evaluating. */
function constant(e: Expr | undefined): unknown {
  if (!e) return undefined;
  if (e.t === 'lit') return plain(e.v);
  if (e.t === 'neg' && e.arg.t === 'lit' && typeof e.arg.v === 'number') return -e.arg.v;
  if (e.t === 'list') {
    const items = e.items.map(constant);
    return items.includes(undefined) ? undefined : items;
  }
  return undefined;
}

function plain(v: Value): unknown {
  if (v instanceof Sql) return v.sql;
  if (v instanceof Typed) return v.num;
  if (v instanceof Opaque) return v.value;
  return Array.isArray(v) ? v.map(plain) : v;
}

export function parameters(nodes: Node[]): TemplateParameter[] {
  const found = new Map<string, TemplateParameter>();
  for (const root of exprs(nodes)) {
    for (const e of walk(root)) {
      if (e.t !== 'call' || e.args[0]?.t !== 'name') continue;
      if (!(e.fn in TYPE_FUNCTIONS) && !IDENTIFIER_FUNCTIONS.has(e.fn) && e.fn !== 'JSON') continue;
      const kw = new Map(e.kwargs);
      const isArray = e.fn === 'Array';
      const elementType = isArray ? constant(e.args[1] ?? kw.get('_type')) : undefined;
      const type = isArray
        ? `Array(${typeof elementType === 'string' ? elementType : 'String'})`
        : IDENTIFIER_FUNCTIONS.has(e.fn)
          ? 'String'
          : e.fn;
      const def = constant(e.args[isArray ? 2 : 1] ?? kw.get('default'));
      const description = constant(kw.get('description'));
      const p: TemplateParameter = { name: e.args[0].name, type, required: constant(kw.get('required')) === true };
      if (def !== undefined && def !== null) p.default = def;
      if (typeof description === 'string') p.description = description;
      const prev = found.get(p.name);
      // The same parameter used twice: keep the first type, gather whatever the other calls add.
      found.set(
        p.name,
        prev
          ? {
              ...p,
              ...prev,
              required: prev.required || p.required,
              default: prev.default ?? p.default,
              description: prev.description ?? p.description,
            }
          : p,
      );
    }
  }
  return [...found.values()].map(
    (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as TemplateParameter,
  );
}
