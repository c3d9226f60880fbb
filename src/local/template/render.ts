// Runs a parsed template against request parameters, writing SQL through the guarded writer.
import type { Node } from './blocks';
import { RequiredError, TemplateError } from './errors';
import { requiredMessage } from './required';
import { evaluate, Scope } from './evaluate';
import { SqlWriter } from './guard';
import { Opaque, Sql, toSql, truthy, type Value } from './values';

/** Bounds on what one request can make a template do (a huge array in a {% for %}, a loop in a loop). */
const MAX_ITERATIONS = 100_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

class Jump {
  constructor(readonly kind: 'break' | 'continue') {}
}

export function run(nodes: Node[], params: Record<string, unknown>, secrets: ReadonlyMap<string, string>): string {
  const out = new SqlWriter();
  const scope = new Scope(params, secrets);
  let iterations = 0;

  function exec(list: Node[], inLoop: boolean): void {
    for (const n of list) {
      switch (n.k) {
        case 'text':
          out.append(n.text);
          break;
        case 'expr':
          out.value(toSql(evaluate(n.expr, scope), n.expr.src), n.expr.src);
          break;
        case 'set':
          scope.set(n.name, evaluate(n.expr, scope));
          break;
        case 'if': {
          const hit = n.branches.find((b) => b.test === null || truthy(evaluate(b.test, scope)));
          if (hit) exec(hit.body, inLoop);
          break;
        }
        case 'for': {
          for (const item of iterable(evaluate(n.iter, scope), n.iter.src)) {
            if (++iterations > MAX_ITERATIONS)
              throw new TemplateError('Template Syntax Error: too many loop iterations');
            bind(n.targets, item);
            try {
              exec(n.body, true);
            } catch (e) {
              if (!(e instanceof Jump)) throw e;
              if (e.kind === 'break') break;
            }
          }
          break;
        }
        case 'break':
        case 'continue':
          if (!inLoop) throw new TemplateError(`Template Syntax Error: '${n.k}' outside loop`);
          throw new Jump(n.k);
      }
      if (out.length > MAX_OUTPUT) throw new TemplateError('Template Syntax Error: rendered SQL is too large');
    }
  }

  function bind(targets: string[], item: Value): void {
    if (targets.length === 1) return scope.set(targets[0]!, item);
    const parts = Array.isArray(item) ? item : [];
    if (parts.length !== targets.length) {
      throw new TemplateError(`Template Syntax Error: cannot unpack into ${targets.length} names in for loop`);
    }
    targets.forEach((t, i) => scope.set(t, parts[i]!));
  }

  try {
    exec(nodes, false);
  } catch (e) {
    if (e instanceof RequiredError) throw new TemplateError(requiredMessage(nodes));
    throw e;
  }
  return out.toString();
}

function iterable(v: Value, src: string): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Sql && v.items) return v.items;
  if (typeof v === 'string') return [...v];
  if (v === null)
    throw new TemplateError(`Template Syntax Error: "${src}" is None (not sent?): guard it with {% if defined(...) %}`);
  // A dict iterates over its keys, as in Python.
  if (v instanceof Opaque && v.value !== null && typeof v.value === 'object') return Object.keys(v.value);
  if (v instanceof Opaque) throw new TemplateError(`Template Syntax Error: "${src}" is an object, not a list`);
  throw new TemplateError(`Template Syntax Error: "${src}" is not iterable`);
}
