// Expression syntax tree. `src` is the expression's own text, used in error messages and as a parameter's name.
import type { Value } from './values';

export type Expr = { src: string } & (
  | { t: 'lit'; v: Value }
  | { t: 'name'; name: string }
  | { t: 'list'; items: Expr[] }
  | { t: 'dict'; entries: Array<[Expr, Expr]> }
  | { t: 'call'; fn: string; args: Expr[]; kwargs: Array<[string, Expr]> }
  | { t: 'method'; obj: Expr; name: string; args: Expr[] }
  | { t: 'index'; obj: Expr; index: Expr }
  | { t: 'not' | 'neg' | 'pos'; arg: Expr }
  | { t: 'bin'; op: string; left: Expr; right: Expr }
  | { t: 'cmp'; ops: string[]; operands: Expr[] }
  | { t: 'and' | 'or'; left: Expr; right: Expr }
  | { t: 'cond'; test: Expr; then: Expr; else: Expr }
);

/** The expressions directly inside `e`. */
export function children(e: Expr): Expr[] {
  switch (e.t) {
    case 'list':
      return e.items;
    case 'dict':
      return e.entries.flat();
    case 'call':
      return [...e.args, ...e.kwargs.map(([, x]) => x)];
    case 'method':
      return [e.obj, ...e.args];
    case 'index':
      return [e.obj, e.index];
    case 'not':
    case 'neg':
    case 'pos':
      return [e.arg];
    case 'bin':
    case 'and':
    case 'or':
      return [e.left, e.right];
    case 'cmp':
      return e.operands;
    case 'cond':
      return [e.test, e.then, e.else];
    default:
      return [];
  }
}

/** Every node of a tree, depth first (for templateParameters; the parser bounds its depth). */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  for (const x of children(e)) yield* walk(x);
}
