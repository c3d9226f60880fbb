// Row-level security at run time: a token's fixed_params key that its pipe does not read is ignored by Tinybird, so a
// token route that believes it pins a user or tenant lets every row through. The compiler catches this with generated
// types; this catches it where the types were not used (a JWT signed elsewhere, a typo in untyped code).
import { endpointParams } from './endpoint-params';
import type { SourceNode } from './adapter';

/**
 * The parameters the templates of a pipe (and of the pipes it reads as tables) read; undefined when one does not
 * parse (what it reads cannot be known).
 *
 * @example
 * ```ts
 * paramsRead('top_airlines.pipe', nodes, pipes); // Set { 'start', 'end', 'limit' }
 * ```
 */
export function paramsRead(
  file: string,
  nodes: SourceNode[],
  pipes: ReadonlyMap<string, SourceNode[]>,
): ReadonlySet<string> | undefined {
  try {
    return new Set(endpointParams(file, nodes, pipes).map((p) => p.name));
  } catch {
    return undefined;
  }
}

/**
 * The keys of `pinned` that no template of the pipe (nor of the pipes it reads as tables) reads. A pipe whose
 * templates do not parse reads nothing we can know: none are reported.
 *
 * @example
 * ```ts
 * unreadPins('top_airlines.pipe', nodes, pipes, { user_id: 'u_42' }); // ['user_id']: top_airlines has no user_id
 * ```
 */
export function unreadPins(
  file: string,
  nodes: SourceNode[],
  pipes: ReadonlyMap<string, SourceNode[]>,
  pinned: Readonly<Record<string, unknown>>,
): string[] {
  const keys = Object.keys(pinned);
  if (keys.length === 0) return [];
  const read = paramsRead(file, nodes, pipes);
  return read ? keys.filter((key) => !read.has(key)) : [];
}
