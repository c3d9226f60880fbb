// A template parameter -> the TypeScript type of the value the client sends for it (see core/params.ts: Dates become
// UTC `YYYY-MM-DD HH:MM:SS`, arrays are comma-joined).
import type { TemplateParameter } from './adapter';

/** One endpoint parameter as generated: name, TypeScript type, whether it must be sent, its TSDoc. */
export interface GeneratedParam {
  name: string;
  ts: string;
  required: boolean;
  description?: string;
  /** The template's default, shown in the TSDoc. */
  default?: unknown;
  /** Values the template compares it with (`kpi == 'spent'`): tried first when the pipe must be run to be described. */
  compared?: Array<string | number>;
}

const NUMBER = /^(U?Int(8|16|32|64|128|256)?|Integer|Float32|Float64)$/;

/** The type of one scalar of a type function (`Int32`, `String`...), `enum=` values narrowing it. */
function scalar(type: string, allowed?: ReadonlyArray<string | number>): string {
  if (allowed && allowed.length > 0) return [...new Set(allowed)].map((v) => JSON.stringify(v)).join(' | ');
  if (NUMBER.test(type)) return 'number';
  if (type === 'Boolean' || type === 'bool') return 'boolean';
  // DateTime(): the client turns a Date into UTC text; a `YYYY-MM-DD HH:MM:SS` string passes as is.
  if (type === 'DateTime' || type === 'DateTime64') return 'Date | string';
  // Date() refuses a time of day, which is what a Date object would send: only `YYYY-MM-DD` text.
  return 'string';
}

/**
 * The TypeScript type of a parameter from its type function: Int and Float types are numbers, String (and column(),
 * symbol()...) strings, Boolean booleans, DateTime a Date or text, Date text, `Array(x, 'T')` a list of T.
 *
 * @example
 * ```ts
 * paramType({ name: 'ids', type: 'Array(Int32)', required: false }); // 'readonly number[]'
 * paramType({ name: 'since', type: 'DateTime', required: false }); // 'Date | string'
 * ```
 */
export function paramType(p: TemplateParameter, allowed?: ReadonlyArray<string | number>): string {
  const array = /^Array\((.*)\)$/.exec(p.type);
  if (array) {
    const inner = scalar(array[1] ?? 'String', allowed);
    return `readonly ${/[|]/.test(inner) ? `(${inner})` : inner}[]`;
  }
  return scalar(p.type, allowed);
}
