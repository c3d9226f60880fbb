// The scopes a grant may sign, typed from the project's generated types (see `Register` in the client entry): a
// pipe or data source that does not exist, or a fixed_params key the pipe does not read, does not compile. A pin
// that Tinybird would silently ignore is exactly the row-level security hole this closes.
// Type-only, through the package name: both entries must read one `Register`, the one the generated file augments.
import type { DatasourceName, EndpointParams, PipeName } from 'react-tinybird';
import type { DatasourcesAppendScope, DatasourcesReadScope, PipesReadScope, TinybirdScope } from './scopes';

/** What a JWT can pin on a parameter of type T: JSON values, so a Date param takes its text. */
type Pinned<T> = T extends readonly (infer E)[] ? ReadonlyArray<Pinned<E>> : T extends Date ? string : T;

/**
 * The `fixed_params` a token may pin on pipe `P`: only params the pipe reads, each with a value of its type.
 *
 * @example
 * ```ts
 * const pins: FixedParams<'user_bookings'> = { user_id: session.userId };
 * ```
 */
export type FixedParams<P extends string> = {
  readonly [K in keyof EndpointParams<P>]?: Pinned<NonNullable<EndpointParams<P>[K]>>;
};

type RegisteredScope =
  | {
      [P in PipeName]: Omit<PipesReadScope, 'resource' | 'fixed_params'> & {
        resource: P;
        fixed_params?: FixedParams<P>;
      };
    }[PipeName]
  | (Omit<DatasourcesReadScope, 'resource'> & { resource: DatasourceName })
  | (Omit<DatasourcesAppendScope, 'resource'> & { resource: DatasourceName });

/**
 * A scope in a grant: any {@link TinybirdScope} until generated types are in the program; then its resource is one
 * of the project's pipes or data sources and its `fixed_params` are params that pipe reads, with values of their type.
 *
 * @example
 * ```ts
 * const scope: GrantScope = { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_42' } };
 * ```
 */
export type GrantScope = string extends PipeName ? TinybirdScope : RegisteredScope;
