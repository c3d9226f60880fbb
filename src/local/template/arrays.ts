// Tinybird reads a parameter that a template declares with Array() as that list everywhere in the node: `{% for x in
// ids %}`, `len(ids)`, `','.join(ids)` see the elements, not the text. A value Array() refuses is left as sent (the
// Array() call then reports it).
import type { Node } from './blocks';
import { TemplateError } from './errors';
import { parameters } from './parameters';
import { TYPE_FUNCTIONS } from './types';
import { fromParam, Sql, toJson } from './values';

/** The element type of each parameter whose first typed use in the template is Array(). */
export function arrayParameters(nodes: Node[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const p of parameters(nodes)) {
    const m = /^Array\((.*)\)$/.exec(p.type);
    if (m) types.set(p.name, m[1]!);
  }
  return types;
}

/** `params` with those parameters turned into their lists (a copy when anything changes). */
export function withArrays(params: Record<string, unknown>, types: Map<string, string>): Record<string, unknown> {
  let out = params;
  for (const [name, type] of types) {
    if (!Object.prototype.hasOwnProperty.call(params, name) || params[name] === undefined || params[name] === null)
      continue;
    let list: unknown;
    try {
      list = TYPE_FUNCTIONS.Array!({
        fn: 'Array',
        args: [fromParam(params[name]), type],
        kwargs: new Map(),
        argSrc: [],
        secrets: new Map(),
      });
    } catch (e) {
      if (e instanceof TemplateError) continue;
      throw e;
    }
    if (!(list instanceof Sql) || !list.items) continue;
    if (out === params) out = { ...params };
    out[name] = list.items.map(toJson);
  }
  return out;
}
