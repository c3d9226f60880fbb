// The Python builtins templates use: len, str, int, float, and enumerate, range, sum, min, max, abs, round.
import type { TemplateFunction } from './call';
import { arg } from './call';
import { TemplateError } from './errors';
import { checkList } from './limits';
import { float, integer } from './types';
import { asNumber, Sql, toText, type Value } from './values';

/** A one-value function given repeated parameters: the last one wins (an empty JSON list counts as ''). */
const last = (v: Value): Value => (Array.isArray(v) ? (v.length ? v[v.length - 1]! : '') : v);

/** range() makes a list here: bounded like a template's loops. */
const MAX_RANGE = 100_000;

function items(v: Value, fn: string): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Sql && v.items) return v.items;
  if (typeof v === 'string') {
    checkList(v.length);
    return [...v];
  }
  throw new TemplateError(`Template Syntax Error: ${fn}() needs a list`);
}

function numbers(v: Value, fn: string): number[] {
  return items(v, fn).map((x) => {
    const n = asNumber(x);
    if (n === null) throw new TemplateError(`Template Syntax Error: ${fn}() needs numbers`);
    return n;
  });
}

/** min(xs) / min(a, b...): numbers, or strings compared as Python does. */
function extreme(fn: 'min' | 'max'): TemplateFunction {
  return (call) => {
    const list = call.args.length === 1 ? items(call.args[0]!, fn) : call.args;
    if (list.length === 0) throw new TemplateError(`Template Syntax Error: ${fn}() arg is an empty sequence`);
    if (list.every((x) => typeof x === 'string')) {
      const sorted = [...(list as string[])].sort();
      return fn === 'min' ? sorted[0]! : sorted[sorted.length - 1]!;
    }
    const ns = numbers(list, fn);
    return fn === 'min' ? Math.min(...ns) : Math.max(...ns);
  };
}

export const BUILTINS: Record<string, TemplateFunction> = {
  len: (call) => {
    const v = arg(call, 0) ?? null;
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v instanceof Sql && v.items) return v.items.length;
    throw new TemplateError(`Template Syntax Error: object of type ${v === null ? 'NoneType' : typeof v} has no len()`);
  },
  str: (call) => toText(arg(call, 0) ?? ''),
  int: (call) => Number(integer(last(arg(call, 0) ?? null), 'Int64')),
  float: (call) => float(last(arg(call, 0) ?? null), 'Float64'),
  enumerate: (call) => items(arg(call, 0) ?? null, 'enumerate').map((x, i) => [i, x]),
  range: (call) => {
    const ns = call.args.map((a) => asNumber(a));
    if (ns.length === 0 || ns.length > 3 || ns.some((n) => n === null || !Number.isInteger(n)))
      throw new TemplateError('Template Syntax Error: range() takes 1 to 3 integers');
    const [start, stop, step = 1] = ns.length === 1 ? [0, ns[0]!] : (ns as number[]);
    if (step === 0) throw new TemplateError('Template Syntax Error: range() arg 3 must not be zero');
    const count = Math.max(0, Math.ceil((stop! - start!) / step));
    if (count > MAX_RANGE) throw new TemplateError('Template Syntax Error: range() is too long');
    return Array.from({ length: count }, (_, i) => start! + i * step);
  },
  sum: (call) => numbers(arg(call, 0) ?? null, 'sum').reduce((a, b) => a + b, 0),
  min: extreme('min'),
  max: extreme('max'),
  abs: (call) => {
    const n = asNumber(arg(call, 0) ?? null);
    if (n === null) throw new TemplateError('Template Syntax Error: abs() needs a number');
    return Math.abs(n);
  },
};
