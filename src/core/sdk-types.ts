import type { Params } from './params';
import type { IsUnion, RegisteredAppendRow, RegisteredParams, RegisteredRow } from './register';

/*
 * Structural mirrors of @tinybirdco/sdk's definitions and its InferParams / InferOutputRow / InferRow. Matching on shape
 * (not importing the SDK, even as types) keeps our .d.ts free of a module users may not have installed: the SDK is an
 * optional companion, and its definitions still infer here because they have exactly these fields.
 */

interface ParamLike {
  readonly _type: unknown;
  readonly _required: boolean;
}
interface ValidatorLike {
  readonly _type: unknown;
  readonly _modifiers: object;
}

/**
 * An @tinybirdco/sdk `definePipe` / `defineEndpoint` result.
 *
 * @example
 * ```ts
 * const topAirlines = defineEndpoint('top_airlines', { params: {...}, nodes: [...], output: {...} }); // fits
 * ```
 */
export interface EndpointDefinitionLike {
  readonly _name: string;
  readonly _type: 'pipe';
  readonly _params: Record<string, ParamLike>;
  readonly _output?: Record<string, ValidatorLike>;
}

/**
 * An @tinybirdco/sdk `defineDatasource` result.
 *
 * @example
 * ```ts
 * const events = defineDatasource('events', { schema: { airline: t.string() } }); useAppend(events);
 * ```
 */
export interface DatasourceDefinitionLike {
  readonly _name: string;
  readonly _type: 'datasource';
  readonly _schema: Record<string, ValidatorLike | { readonly type: ValidatorLike }>;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredParamKeys<P> = { [K in keyof P]: P[K] extends { readonly _required: true } ? K : never }[keyof P];
type OptionalParamKeys<P> = Exclude<keyof P, RequiredParamKeys<P>>;
type ParamType<V> = V extends { readonly _type: infer T } ? T : never;

type OptionalOutputKeys<O> = {
  [K in keyof O]: O[K] extends { readonly _modifiers: { optional: true } } ? K : never;
}[keyof O];
type ColumnType<V> = V extends { readonly type: { readonly _type: infer T } }
  ? T
  : V extends { readonly _type: infer T }
    ? T
    : never;

/** Params of an endpoint definition; for a pipe given by name, its generated params (see Register), else free-form. */
export type EndpointParams<P> = true extends IsUnion<P> ? Params : EndpointParamsOf<P>;

type EndpointParamsOf<P> = P extends { readonly _type: 'pipe'; readonly _params: infer D }
  ? Simplify<
      { [K in RequiredParamKeys<D>]: ParamType<D[K]> } & { [K in OptionalParamKeys<D>]?: ParamType<D[K]> | null }
    >
  : RegisteredParams<P>;

/** Row type of an endpoint definition's output; for a pipe given by name, its generated row, else `Fallback`. */
export type EndpointRow<P, Fallback> = true extends IsUnion<P> ? Fallback : EndpointRowOf<P, Fallback>;

type EndpointRowOf<P, Fallback> = P extends { readonly _type: 'pipe'; readonly _output?: infer O }
  ? OutputRow<NonNullable<O>, Fallback>
  : RegisteredRow<P, Fallback>;

type OutputRow<O, Fallback> = [O] extends [never]
  ? Fallback
  : Simplify<
      { [K in Exclude<keyof O, OptionalOutputKeys<O>>]: ColumnType<O[K]> } & {
        [K in OptionalOutputKeys<O>]?: ColumnType<O[K]>;
      }
    >;

/** Row type of a data source definition; for a data source given by name, its generated row, else `Fallback`. */
export type DatasourceRow<D, Fallback> = D extends { readonly _type: 'datasource'; readonly _schema: infer S }
  ? Simplify<{ [K in keyof S]: ColumnType<S[K]> }>
  : RegisteredAppendRow<D, Fallback>;

/** The name to put in the URL, whether given as a string or a definition. */
export function nameOf(source: string | { readonly _name: string }): string {
  return typeof source === 'string' ? source : source._name;
}
