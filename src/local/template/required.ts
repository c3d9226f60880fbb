// Tinybird's message for a typed parameter that was not sent and has no default: it names every parameter of the
// template that would need a value (typed calls without a default, and names read bare), not only the one that failed.
import { walk, type Expr } from './ast';
import type { Node } from './blocks';
import { REQUIRED, SYNTAX } from './errors';
import { TYPE_FUNCTIONS } from './types';

/** Expressions in Tinybird's order: a block's body before its own condition. */
function exprs(nodes: Node[]): Expr[] {
  return nodes.flatMap((n): Expr[] => {
    switch (n.k) {
      case 'expr':
      case 'set':
        return [n.expr];
      case 'for':
        return [...exprs(n.body), n.iter];
      case 'if':
        return [...n.branches.flatMap((b) => exprs(b.body)), ...n.branches.flatMap((b) => (b.test ? [b.test] : []))];
      default:
        return [];
    }
  });
}

/** Names the template assigns itself ({% set %}, {% for %} targets): not request parameters. */
function assigned(nodes: Node[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.k === 'set') into.add(n.name);
    if (n.k === 'for') {
      n.targets.forEach((t) => into.add(t));
      assigned(n.body, into);
    }
    if (n.k === 'if') n.branches.forEach((b) => assigned(b.body, into));
  }
  return into;
}

/** Parameters without a default: typed calls with none, and names read outside any call's arguments. */
function undefaulted(nodes: Node[]): string[] {
  const own = assigned(nodes);
  const names: string[] = [];
  const add = (name: string) => {
    if (!own.has(name) && !names.includes(name)) names.push(name);
  };
  for (const root of exprs(nodes)) {
    const inCall = new Set<Expr>();
    for (const e of walk(root)) {
      if (e.t === 'call') {
        e.args.forEach((a) => inCall.add(a));
        const first = e.args[0];
        if (!(e.fn in TYPE_FUNCTIONS || e.fn === 'JSON') || first?.t !== 'name') continue;
        const kw = new Map(e.kwargs);
        const def = e.args[e.fn === 'Array' ? 2 : 1] ?? kw.get('default');
        if (!def || (def.t === 'lit' && def.v === null)) add(first.name);
      } else if (e.t === 'name' && !inCall.has(e)) add(e.name);
    }
  }
  return names;
}

/** "a", "a and b", "a, b and c". */
function list(names: string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The whole message, as Tinybird words it. */
export function requiredMessage(nodes: Node[]): string {
  const names = undefaulted(nodes);
  if (names.length === 0) return `${SYNTAX}${REQUIRED}`;
  return `${SYNTAX}${REQUIRED}. Check the parameters ${list(names)}. Please provide a value or set a default value in the pipe code.`;
}
