import { TinybirdConfigError } from './errors';

/**
 * A value a JWT pins on a pipe parameter.
 *
 * @example
 * ```ts
 * const fixed: Record<string, FixedParamValue> = { user_id: 'u_42', plan_ids: [1, 2] };
 * ```
 */
export type FixedParamValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/**
 * Read one pipe endpoint. `fixed_params` always win over what the browser sends (row-level security).
 *
 * @example
 * ```ts
 * const scope: PipesReadScope = { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_42' } };
 * ```
 */
export interface PipesReadScope {
  type: 'PIPES:READ';
  /** The pipe name (or id). */
  resource: string;
  fixed_params?: Readonly<Record<string, FixedParamValue>>;
}

/**
 * Read a data source through the Query API. `filter` is a SQL WHERE clause Tinybird applies to every read.
 *
 * @example
 * ```ts
 * const scope: DatasourcesReadScope = { type: 'DATASOURCES:READ', resource: 'events', filter: "org_id = 'acme'" };
 * ```
 */
export interface DatasourcesReadScope {
  type: 'DATASOURCES:READ';
  resource: string;
  filter?: string;
}

/**
 * Append rows to a data source through the Events API.
 *
 * @example
 * ```ts
 * const scope: DatasourcesAppendScope = { type: 'DATASOURCES:APPEND', resource: 'events' };
 * ```
 */
export interface DatasourcesAppendScope {
  type: 'DATASOURCES:APPEND';
  resource: string;
}

/**
 * One permission carried by a Tinybird JWT.
 *
 * @example
 * ```ts
 * import type { TinybirdScope } from 'react-tinybird/server';
 *
 * const scopes: TinybirdScope[] = [
 *   { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: session.userId } },
 *   { type: 'DATASOURCES:READ', resource: 'events', filter: `user_id = '${session.userId}'` },
 *   { type: 'DATASOURCES:APPEND', resource: 'events' },
 * ];
 * ```
 */
export type TinybirdScope = PipesReadScope | DatasourcesReadScope | DatasourcesAppendScope;

/** Every scope type a Tinybird JWT may carry. */
export const SCOPE_TYPES = [
  'PIPES:READ',
  'DATASOURCES:READ',
  'DATASOURCES:APPEND',
] as const satisfies readonly TinybirdScope['type'][];

function fail(message: string): never {
  throw new TinybirdConfigError('INVALID_SCOPES', message);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Checks scopes at run time (they often come from untyped code) and copies only the known fields,
 * so nothing unexpected is signed into a token that ends up in a browser.
 */
export function normalizeScopes(scopes: unknown): TinybirdScope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    fail('`scopes` must be a non-empty array: a token with no scope can read nothing.');
  }
  return scopes.map((scope: unknown, i): TinybirdScope => {
    const at = `scopes[${i}]`;
    if (!isRecord(scope)) fail(`${at} must be an object like { type: 'PIPES:READ', resource: 'my_pipe' }.`);
    const { type, resource } = scope;
    if (!SCOPE_TYPES.includes(type as (typeof SCOPE_TYPES)[number])) {
      fail(`${at}.type must be one of ${SCOPE_TYPES.join(', ')} (got ${JSON.stringify(type)}).`);
    }
    if (typeof resource !== 'string' || resource.trim() === '') {
      fail(`${at}.resource must be the name of a ${type === 'PIPES:READ' ? 'pipe' : 'data source'}.`);
    }
    if (type === 'PIPES:READ') {
      const fixed = scope['fixed_params'];
      if (fixed === undefined) return { type, resource };
      if (!isRecord(fixed)) fail(`${at}.fixed_params must be an object of parameter values.`);
      for (const [name, value] of Object.entries(fixed)) {
        const ok = isScalar(value) || (Array.isArray(value) && value.every(isScalar));
        if (!ok) fail(`${at}.fixed_params.${name} must be a string, number, boolean or an array of those.`);
      }
      return { type, resource, fixed_params: { ...(fixed as Record<string, FixedParamValue>) } };
    }
    if (type === 'DATASOURCES:READ') {
      const filter = scope['filter'];
      if (filter === undefined) return { type, resource };
      if (typeof filter !== 'string' || filter.trim() === '') fail(`${at}.filter must be a non-empty SQL condition.`);
      return { type, resource, filter };
    }
    return { type: 'DATASOURCES:APPEND', resource };
  });
}
