// Runs a parsed template against request parameters, writing SQL through the guarded writer.
import type { Node } from './blocks';
import { RequiredError, TemplateError } from './errors';
import { requiredMessage } from './required';
import { evaluate, Scope } from './evaluate';
import { SqlWriter } from './guard';
import { checkList, MAX_OUTPUT } from './limits';
import { Opaque, Sql, toSql, truthy, type Value } from './values';

class Jump {
  constructor(readonly kind: 'break' | 'continue') {}
}

export function run(nodes: Node[], params: Record<string, unknown>, secrets: ReadonlyMap<string, string>): string {
  const out = new SqlWriter(MAX_OUTPUT);
  const scope = new Scope(params, secrets);

  function exec(list: Node[], inLoop: boolean): void {
    for (const n of list) {
      scope.budget.step();
      switch (n.k) {
        case 'text':
          scope.budget.moved(n.text);
          out.append(n.text);
          break;
        case 'expr': {
          const sql = toSql(evaluate(n.expr, scope), n.expr.src);
          scope.budget.moved(sql);
          out.value(sql, n.expr.src);
          break;
        }
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
            scope.budget.iteration();
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

function iterable(v: Value, src: string): Iterable<Value> {
  if (Array.isArray(v)) return v;
  if (v instanceof Sql && v.items) return v.items;
  if (typeof v === 'string') return v; // its characters, one by one: never a list as long as the string

  if (v === null)
    throw new TemplateError(`Template Syntax Error: "${src}" is None (not sent?): guard it with {% if defined(...) %}`);
  // A dict iterates over its keys, as in Python.
  if (v instanceof Opaque && v.value !== null && typeof v.value === 'object') {
    const keys = Object.keys(v.value);
    checkList(keys.length);
    return keys;
  }
  if (v instanceof Opaque) throw new TemplateError(`Template Syntax Error: "${src}" is an object, not a list`);
  throw new TemplateError(`Template Syntax Error: "${src}" is not iterable`);
}
