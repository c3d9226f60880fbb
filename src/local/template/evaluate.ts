// Interprets an expression tree. Names read template variables ({% set %}, {% for %}) then request parameters;
// calls reach only the FUNCTIONS table. No eval, no property access on host objects.
import type { Expr } from './ast';
import { Budget } from './budget';
import { checkList, checkString } from './limits';
import { FUNCTIONS } from './functions';
import { callMethod } from './methods';
import { TemplateError } from './errors';
import {
  asNumber,
  compare,
  equals,
  fromParam,
  Opaque,
  Sql,
  toJson,
  toText,
  truthy,
  typeName,
  type Value,
} from './values';

export class Scope {
  private readonly vars = new Map<string, Value>();
  /** What this render may still spend (see budget.ts). */
  readonly budget = new Budget();

  constructor(
    private readonly params: Record<string, unknown>,
    readonly secrets: ReadonlyMap<string, string>,
  ) {}

  get(name: string): Value {
    if (this.vars.has(name)) return this.vars.get(name)!;
    // own properties only: a parameter called `constructor` or `__proto__` must not reach Object.prototype
    return Object.prototype.hasOwnProperty.call(this.params, name) ? fromParam(this.params[name]) : null;
  }

  set(name: string, v: Value): void {
    this.vars.set(name, v);
  }
}

export function evaluate(e: Expr, scope: Scope): Value {
  scope.budget.step();
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'name':
      return scope.get(e.name);
    case 'list':
      return e.items.map((x) => evaluate(x, scope));
    case 'dict': {
      // A plain object with no prototype: a key like `__proto__` is just a key.
      const dict: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of e.entries) dict[dictKey(evaluate(k, scope))] = toJson(evaluate(v, scope));
      return new Opaque(dict);
    }
    case 'call': {
      const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, e.fn) ? FUNCTIONS[e.fn] : undefined;
      if (!fn) throw new TemplateError(`Template Syntax Error: '${e.fn}' is not a valid function`);
      const kwargs = new Map(e.kwargs.map(([k, x]) => [k, evaluate(x, scope)] as const));
      const args = e.args.map((x) => evaluate(x, scope));
      // A function's work grows with what it reads and what it gives back: both are paid for.
      for (const a of [...args, ...kwargs.values()]) scope.budget.moved(a);
      return paid(fn({ fn: e.fn, args, kwargs, argSrc: e.args.map((x) => x.src), secrets: scope.secrets }), scope);
    }
    case 'method': {
      const obj = evaluate(e.obj, scope);
      const args = e.args.map((x) => evaluate(x, scope));
      for (const a of [obj, ...args]) scope.budget.moved(a);
      return paid(callMethod(obj, e.name, args), scope);
    }
    case 'index':
      return index(evaluate(e.obj, scope), evaluate(e.index, scope));
    case 'not':
      return !truthy(evaluate(e.arg, scope));
    case 'neg':
    case 'pos': {
      const n = asNumber(evaluate(e.arg, scope));
      if (n === null)
        throw new TemplateError(
          `Template Syntax Error: bad operand for unary ${e.t === 'neg' ? '-' : '+'}: "${e.src}"`,
        );
      return e.t === 'neg' ? -n : n;
    }
    case 'and': {
      const l = evaluate(e.left, scope);
      return truthy(l) ? evaluate(e.right, scope) : l;
    }
    case 'or': {
      const l = evaluate(e.left, scope);
      return truthy(l) ? l : evaluate(e.right, scope);
    }
    case 'cond':
      return truthy(evaluate(e.test, scope)) ? evaluate(e.then, scope) : evaluate(e.else, scope);
    case 'cmp': {
      let left = evaluate(e.operands[0]!, scope);
      scope.budget.moved(left);
      for (let i = 0; i < e.ops.length; i++) {
        const right = evaluate(e.operands[i + 1]!, scope);
        scope.budget.moved(right); // `in` and == walk lists and strings
        if (!comparison(e.ops[i]!, left, right)) return false; // Python chains: a < b < c
        left = right;
      }
      return true;
    }
    case 'bin':
      return paid(arithmetic(e.op, evaluate(e.left, scope), evaluate(e.right, scope)), scope);
  }
}

/** A value a function, method or operator built: paid for by its size, and refused when too big to keep. */
function paid(v: Value, scope: Scope): Value {
  if (typeof v === 'string') checkString(v.length);
  else if (Array.isArray(v)) checkList(v.length);
  scope.budget.moved(v);
  return v;
}

function comparison(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case 'is':
      return a === b; // None, True, False: the identities templates test for
    case 'is not':
      return !comparison('is', a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    default:
      return compare(op, a, b);
  }
}

function contains(haystack: Value, needle: Value): boolean {
  if (typeof haystack === 'string' && typeof needle === 'string') return haystack.includes(needle);
  const list = haystack instanceof Sql ? haystack.items : Array.isArray(haystack) ? haystack : undefined;
  if (list) return list.some((x) => equals(x, needle));
  if (
    haystack instanceof Opaque &&
    typeof needle === 'string' &&
    haystack.value &&
    typeof haystack.value === 'object'
  ) {
    return Object.prototype.hasOwnProperty.call(haystack.value, needle);
  }
  throw new TemplateError(`Template Syntax Error: argument of type '${typeName(haystack)}' is not iterable`);
}

function arithmetic(op: string, a: Value, b: Value): Value {
  // Sizes are checked before the value exists: a list doubled 30 times must be a 400, not a crash building it.
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    checkString(a.length + b.length);
    return a + b;
  }
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) {
    checkList(a.length + b.length);
    return [...a, ...b];
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === null || y === null) {
    throw new TemplateError(
      `Template Syntax Error: unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
    );
  }
  if ((op === '/' || op === '//' || op === '%') && y === 0)
    throw new TemplateError('Template Syntax Error: division by zero');
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '//':
      return Math.floor(x / y);
    case '%':
      return x - y * Math.floor(x / y); // Python's modulo takes the divisor's sign
    default:
      throw new TemplateError(`Template Syntax Error: operator ${op} is not supported`);
  }
}

function index(obj: Value, i: Value): Value {
  if (obj instanceof Opaque) {
    const o = obj.value;
    if (typeof i === 'string' && o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, i)) {
      return fromParam((o as Record<string, unknown>)[i]);
    }
    throw new TemplateError(`Template Syntax Error: key ${typeof i === 'string' ? `'${i}'` : ''} not found`);
  }
  const list = obj instanceof Sql ? obj.items : typeof obj === 'string' || Array.isArray(obj) ? obj : undefined;
  const n = asNumber(i);
  if (list === undefined || n === null || !Number.isInteger(n)) {
    throw new TemplateError(`Template Syntax Error: '${typeName(obj)}' object cannot be indexed by '${typeName(i)}'`);
  }
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) throw new TemplateError('Template Syntax Error: index out of range');
  return list[at]!;
}

/** A dict key as JSON writes it: Python's str() of a number or bool key. */
function dictKey(k: Value): string {
  if (typeof k === 'string') return k;
  if (k === null || typeof k === 'number' || typeof k === 'boolean') return toText(k);
  throw new TemplateError(`Template Syntax Error: unhashable type: '${typeName(k)}'`);
}
