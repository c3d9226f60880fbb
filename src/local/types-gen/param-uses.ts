// How a template uses each parameter, beyond what templateParameters() lists: whether a missing value would fail the
// render (a typed call with no default, rendered whatever the request holds: outside any `{% if %}` or `{% for %}` body,
// not named in an `{% if %}` test, not next to a `defined()` of it in the same expression), and the `enum=` values a
// call allows. Read from the template's syntax tree, never by rendering.
import { templateTree, walkExpr, type TemplateExpr, type TemplateNode } from './adapter';

export interface ParamUses {
  /** Parameters named in an `{% if %}`/`{% elif %}` test: the template copes without them. */
  guarded: Set<string>;
  /** Parameters named in a `defined()` call anywhere, or in a test: ones the pipe reads even with no type function. */
  named: Set<string>;
  /**
   * Parameters in a typed call with no default and no `defined=False`, rendered whatever the request holds: the render
   * fails when they are missing. A call in a branch may not render (`{% if defined(a) %} {{String(b)}}`): not counted.
   */
  demanding: Set<string>;
  /** `enum=['a', 'b']` of a typed call, by parameter. */
  enums: Map<string, Array<string | number>>;
  /** Literals a parameter is compared with (`kpi == 'spent'`, `kpi not in ['a', 'b']`): values the pipe expects. */
  compared: Map<string, Array<string | number>>;
}

const TYPED =
  /^(U?Int(8|16|32|64|128|256)?|Integer|Float32|Float64|String|Boolean|bool|Date|DateTime|DateTime64|Array)$/;

/** An expression of the template, and whether it renders only under some condition (an if branch, a loop body). */
interface Use {
  expr: TemplateExpr;
  conditional: boolean;
}

function expressions(nodes: TemplateNode[], tests: TemplateExpr[], conditional = false): Use[] {
  return nodes.flatMap((n): Use[] => {
    switch (n.k) {
      case 'expr':
      case 'set':
        return [{ expr: n.expr, conditional }];
      case 'for':
        return [{ expr: n.iter, conditional }, ...expressions(n.body, tests, true)];
      case 'if':
        return n.branches.flatMap((b, i) => {
          if (b.test) tests.push(b.test);
          // The first test always runs; the others, and every body, only when the branches before say so.
          const test = b.test ? [{ expr: b.test, conditional: conditional || i > 0 }] : [];
          return [...test, ...expressions(b.body, tests, true)];
        });
      default:
        return [];
    }
  });
}

const literal = (e: TemplateExpr | undefined): unknown => (e?.t === 'lit' ? e.v : undefined);

/** The parameter an operand reads: `kpi`, or `String(kpi)`. */
function operandName(e: TemplateExpr): string | undefined {
  if (e.t === 'name') return e.name;
  if (e.t === 'call' && TYPED.test(e.fn) && e.args[0]?.t === 'name') return e.args[0].name;
  return undefined;
}

/** The text and number literals of an operand: `'a'`, or `['a', 'b']`. */
function operandLiterals(e: TemplateExpr): Array<string | number> {
  const items = e.t === 'list' ? e.items : [e];
  return items.map(literal).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
}

function addCompared(uses: ParamUses, e: TemplateExpr): void {
  if (e.t !== 'cmp') return;
  for (let i = 0; i + 1 < e.operands.length; i++) {
    for (const [a, b] of [
      [e.operands[i]!, e.operands[i + 1]!],
      [e.operands[i + 1]!, e.operands[i]!],
    ]) {
      const name = operandName(a!);
      const values = operandLiterals(b!);
      if (name === undefined || values.length === 0) continue;
      uses.compared.set(name, [...new Set([...(uses.compared.get(name) ?? []), ...values])]);
    }
  }
}

/**
 * Reads one templated node's SQL. Throws the template's own error when it does not parse.
 *
 * @example
 * ```ts
 * paramUses("%\n{% if defined(day) %} WHERE d = {{Date(day)}} {% end %} LIMIT {{Int32(n)}}");
 * // guarded: {day}, demanding: {n}, so `n` is required and `day` is not
 * ```
 */
export function paramUses(sql: string): ParamUses {
  const uses: ParamUses = {
    guarded: new Set(),
    named: new Set(),
    demanding: new Set(),
    enums: new Map(),
    compared: new Map(),
  };
  const tests: TemplateExpr[] = [];
  const all = expressions(templateTree(sql), tests);
  for (const test of tests) for (const e of walkExpr(test)) if (e.t === 'name') uses.guarded.add(e.name);
  for (const name of uses.guarded) uses.named.add(name);
  for (const { expr, conditional } of all) {
    for (const e of walkExpr(expr)) addCompared(uses, e);
    const calls = [...walkExpr(expr)].filter((e) => e.t === 'call' && e.args[0]?.t === 'name');
    // `{{ Int32(n) if defined(n) else 10 }}`: the defined() guards the call beside it, not the rest of the template.
    const definedHere = new Set<string>();
    for (const e of calls)
      if (e.t === 'call' && e.fn === 'defined' && e.args[0]?.t === 'name') definedHere.add(e.args[0].name);
    for (const name of definedHere) uses.named.add(name);
    for (const e of calls) {
      if (e.t !== 'call' || e.args[0]?.t !== 'name') continue;
      const name = e.args[0].name;
      const kw = new Map(e.kwargs);
      if (!TYPED.test(e.fn)) continue;
      const def = e.fn === 'Array' ? (e.args[2] ?? kw.get('default')) : (e.args[1] ?? kw.get('default'));
      const hasDefault = def !== undefined && !(def.t === 'lit' && def.v === null);
      // Boolean() renders 0 when unset: it never fails.
      const failsUnset = !hasDefault && literal(kw.get('defined')) !== false && e.fn !== 'Boolean' && e.fn !== 'bool';
      if (failsUnset && !conditional && !definedHere.has(name)) uses.demanding.add(name);
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
