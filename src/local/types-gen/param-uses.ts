// How a template uses each parameter, beyond what templateParameters() lists: whether a missing value would fail the
// render (a typed call with no default, outside any `defined()` or `{% if %}` test that names it), and the `enum=`
// values a call allows. Read from the template's syntax tree, never by rendering.
import { templateTree, walkExpr, type TemplateExpr, type TemplateNode } from './adapter';

export interface ParamUses {
  /** Parameters named in a `defined()` call or an `{% if %}`/`{% elif %}` test: the template copes without them. */
  guarded: Set<string>;
  /** Parameters in a typed call with no default and no `defined=False`: the render fails when they are missing. */
  demanding: Set<string>;
  /** `enum=['a', 'b']` of a typed call, by parameter. */
  enums: Map<string, Array<string | number>>;
}

const TYPED =
  /^(U?Int(8|16|32|64|128|256)?|Integer|Float32|Float64|String|Boolean|bool|Date|DateTime|DateTime64|Array)$/;

function expressions(nodes: TemplateNode[], tests: TemplateExpr[]): TemplateExpr[] {
  return nodes.flatMap((n): TemplateExpr[] => {
    switch (n.k) {
      case 'expr':
      case 'set':
        return [n.expr];
      case 'for':
        return [n.iter, ...expressions(n.body, tests)];
      case 'if':
        return n.branches.flatMap((b) => {
          if (b.test) tests.push(b.test);
          return [...(b.test ? [b.test] : []), ...expressions(b.body, tests)];
        });
      default:
        return [];
    }
  });
}

const literal = (e: TemplateExpr | undefined): unknown => (e?.t === 'lit' ? e.v : undefined);

/**
 * Reads one templated node's SQL. Throws the template's own error when it does not parse.
 *
 * @example
 * ```ts
 * paramUses("%\n{% if defined(day) %} WHERE d = {{Date(day)}} {% end %} LIMIT {{Int32(n)}}");
 * // guarded: {day}, demanding: {day, n}, so `n` is required and `day` is not
 * ```
 */
export function paramUses(sql: string): ParamUses {
  const uses: ParamUses = { guarded: new Set(), demanding: new Set(), enums: new Map() };
  const tests: TemplateExpr[] = [];
  const all = expressions(templateTree(sql), tests);
  for (const test of tests) for (const e of walkExpr(test)) if (e.t === 'name') uses.guarded.add(e.name);
  for (const root of all) {
    for (const e of walkExpr(root)) {
      if (e.t !== 'call' || e.args[0]?.t !== 'name') continue;
      const name = e.args[0].name;
      const kw = new Map(e.kwargs);
      if (e.fn === 'defined') uses.guarded.add(name);
      if (!TYPED.test(e.fn)) continue;
      const def = e.fn === 'Array' ? (e.args[2] ?? kw.get('default')) : (e.args[1] ?? kw.get('default'));
      const hasDefault = def !== undefined && !(def.t === 'lit' && def.v === null);
      // Boolean() renders 0 when unset: it never fails.
      if (!hasDefault && literal(kw.get('defined')) !== false && e.fn !== 'Boolean' && e.fn !== 'bool')
        uses.demanding.add(name);
      const allowed = kw.get('enum');
      if (allowed?.t === 'list') {
        const values = allowed.items.map(literal);
        if (values.every((v) => typeof v === 'string' || typeof v === 'number'))
          uses.enums.set(name, values as Array<string | number>);
      }
    }
  }
  return uses;
}
