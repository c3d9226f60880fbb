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

/** Every node of a tree, depth first (for templateParameters). */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  switch (e.t) {
    case 'list':
      for (const x of e.items) yield* walk(x);
      break;
    case 'dict':
      for (const [k, v] of e.entries) {
        yield* walk(k);
        yield* walk(v);
      }
      break;
    case 'call':
      for (const x of e.args) yield* walk(x);
      for (const [, x] of e.kwargs) yield* walk(x);
      break;
    case 'method':
      yield* walk(e.obj);
      for (const x of e.args) yield* walk(x);
      break;
    case 'index':
      yield* walk(e.obj);
      yield* walk(e.index);
      break;
    case 'not':
    case 'neg':
    case 'pos':
      yield* walk(e.arg);
      break;
    case 'bin':
    case 'and':
    case 'or':
      yield* walk(e.left);
      yield* walk(e.right);
      break;
    case 'cmp':
      for (const x of e.operands) yield* walk(x);
      break;
    case 'cond':
      yield* walk(e.test);
      yield* walk(e.then);
      yield* walk(e.else);
      break;
    default:
      break;
  }
}
