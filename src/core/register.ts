import type { Params } from './params';

/**
 * Where a project's generated types register (`react-tinybird types --project ./tinybird --out tinybird-types.ts`).
 * Empty here: every pipe and data source name is a string, params are free-form and rows are what you say. Once the
 * generated file is in the program, `useEndpoint`, `endpointQueryOptions`, the charts, `useAppend` and the server's
 * grants read it: a wrong pipe name, param, column or field is a compile error, with no generic at the call site.
 *
 * @example
 * ```ts
 * // tinybird-types.ts, generated: include it in the program once (tsconfig `include`, or one import).
 * declare module 'react-tinybird' {
 *   interface Register {
 *     endpoints: { top_airlines: { params: { limit?: number | null }; row: { airline: string; bookings: number } } };
 *     datasources: { events: { append: { airline: string } } };
 *   }
 * }
 *
 * // Your own, next to the grant: params your tokens pin with fixed_params, so calls may leave them out.
 * declare module 'react-tinybird' {
 *   interface Register {
 *     pinned: { user_bookings: 'user_id' };
 *   }
 * }
 * ```
 */
// Empty on purpose: the generated file fills it through declaration merging.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

type Endpoints = Register extends { endpoints: infer E } ? E : never;
type Datasources = Register extends { datasources: infer D } ? D : never;
type Pins = Register extends { pinned: infer X } ? X : never;

/** The params of pipe `P` the app's tokens pin (`Register['pinned']`): the token sends them, so a call need not. */
type PinnedOf<P> = [Pins] extends [never] ? never : P extends keyof Pins ? Pins[P] & string : never;

/** `X` with the keys `K` optional. */
type Unpinned<X, K extends string> = [K] extends [never]
  ? X
  : { [k in keyof (Omit<X, K> & Partial<Pick<X, K & keyof X>>)]: (Omit<X, K> & Partial<Pick<X, K & keyof X>>)[k] };

/**
 * A pipe name: one of the registered endpoints once generated types are in the program, else any string.
 *
 * @example
 * ```ts
 * const pipe: PipeName = 'top_airlines'; // with generated types, a typo here does not compile
 * ```
 */
export type PipeName = [Endpoints] extends [never] ? string : keyof Endpoints & string;

/**
 * A data source name: one of the registered data sources once generated types are in the program, else any string.
 *
 * @example
 * ```ts
 * const datasource: DatasourceName = 'events';
 * ```
 */
export type DatasourceName = [Datasources] extends [never] ? string : keyof Datasources & string;

/**
 * Whether `T` is a union of several types. A call that gives its own `Row` generic leaves the pipe type at its default,
 * the union of every pipe name: then the rows and params are the caller's, and only the name is checked.
 */
export type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The registered params of pipe `P`; {@link Params} when nothing is registered for it. A param the app declares
 * pinned (`Register['pinned']`) is optional: the token's fixed_params supply it, whatever the call sends.
 */
export type RegisteredParams<P> = [Endpoints] extends [never]
  ? Params
  : P extends keyof Endpoints
    ? Endpoints[P] extends { params: infer X }
      ? Unpinned<X, PinnedOf<P>>
      : Params
    : Params;

/** The registered row of pipe `P`; `Fallback` when nothing is registered for it. */
export type RegisteredRow<P, Fallback> = [Endpoints] extends [never]
  ? Fallback
  : P extends keyof Endpoints
    ? Endpoints[P] extends { row: infer R }
      ? R
      : Fallback
    : Fallback;

/** The registered row `useAppend` sends to data source `D`; `Fallback` when nothing is registered for it. */
export type RegisteredAppendRow<D, Fallback> = [Datasources] extends [never]
  ? Fallback
  : D extends keyof Datasources
    ? Datasources[D] extends { append: infer R }
      ? R
      : Fallback
    : Fallback;

/**
 * The column names of pipe `P`'s registered row; any string when `P` is not one registered pipe (no generated types,
 * an @tinybirdco/sdk definition, rows given as `data`).
 */
export type RegisteredColumn<P> = [Endpoints] extends [never]
  ? string
  : [P] extends [keyof Endpoints]
    ? keyof RegisteredRow<P, Record<string, unknown>> & string
    : string;

/**
 * A call's `[params, options]`: params may be left out only when the endpoint requires none.
 *
 * @example
 * ```ts
 * type Args = ParamsAndOptions<{ user_id: string }, { enabled?: boolean }>; // [params: {...}, options?: {...}]
 * ```
 */
export type ParamsAndOptions<P, Options> =
  Record<never, never> extends P ? [params?: P, options?: Options] : [params: P, options?: Options];
