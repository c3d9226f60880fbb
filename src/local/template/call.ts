// What a template function receives, and the argument helpers they share.
import { TemplateError } from './errors';
import type { Value } from './values';

export interface Call {
  fn: string;
  args: Value[];
  kwargs: Map<string, Value>;
  /** Source text of each positional argument: `limit` in Int32(limit, 10) names the parameter in errors. */
  argSrc: string[];
  /** The project's secrets, read by tb_secret()/tb_var(). */
  secrets: ReadonlyMap<string, string>;
}

export type TemplateFunction = (call: Call) => Value;

/** Positional argument i, or keyword `name`, or undefined when neither was given. */
export function arg(call: Call, i: number, name?: string): Value | undefined {
  if (i < call.args.length) return call.args[i];
  return name !== undefined && call.kwargs.has(name) ? call.kwargs.get(name) : undefined;
}

export function argString(call: Call, i: number, name: string): string | undefined {
  const v = arg(call, i, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new TemplateError(`Template Syntax Error: ${call.fn}() expects a string for ${name}`);
  return v;
}

/** The name a parameter goes by in messages: the argument's text when it is a plain name. */
export function paramName(call: Call): string {
  const src = (call.argSrc[0] ?? '').trim();
  return src.length > 40 ? `${src.slice(0, 40)}...` : src;
}
