import type { UseQueryResult } from '@tanstack/react-query';
import type { ColumnMeta, QueryResult, QueryStatistics } from '../core/client';
import { TinybirdError } from '../core/errors';

/**
 * What EndpointOptions tells react-query's option types the select yields. Only `select` uses that type argument and
 * the hooks replace `select`, so this is a type-level name kept for a stable public type; at run time the select
 * yields the rows alone (see {@link selectRows}).
 */
export interface Selected<T> {
  data: T;
  meta: ColumnMeta[];
  statistics: QueryStatistics;
}

/**
 * The hooks' result: react-query's, with `data` the rows and the result's `meta` and `statistics` alongside.
 *
 * Renders: react-query re-renders a component only for the result fields it reads. `data` keeps its reference while
 * the rows are deep-equal, so a polling widget that reads only `data` (and status fields) does not re-render when a
 * poll brings the same rows. `meta` and `statistics` come from the latest response: reading either subscribes the
 * component to `dataUpdatedAt`, i.e. it re-renders after every successful fetch, since `statistics.elapsed` changes
 * each time even when the rows do not. Read them only where you show them.
 *
 * @example
 * ```ts
 * const { data, meta, statistics, isPending }: TinybirdQueryResult<Row[]> = useEndpoint<Row>('top_airlines');
 * ```
 */
export type TinybirdQueryResult<TData> = UseQueryResult<TData, TinybirdError> & {
  meta: ColumnMeta[] | undefined;
  statistics: QueryStatistics | undefined;
};

/** The last Tinybird response the hook's select saw (the query's cached value, or the placeholder being shown). */
export type LastResponse = { current?: QueryResult<unknown> | undefined };

/**
 * The hooks' react-query `select`: the rows only, so react-query's structural sharing keeps `data` stable while the
 * rows are equal (selecting `{ data, meta, statistics }` made a new value on every poll: `elapsed` always differs).
 * The whole response goes to `last`, where `meta` and `statistics` are read from.
 */
export function selectRows<Row, TData>(last: LastResponse, select?: (rows: Row[]) => TData) {
  return (result: QueryResult<Row>): TData => {
    last.current = result;
    return select ? select(result.data) : (result.data as TData);
  };
}

/**
 * A view of react-query's result that adds `meta` and `statistics`. A Proxy rather than a spread keeps react-query's
 * tracked properties: a component re-renders only for the fields it reads. The two added fields read `dataUpdatedAt`
 * first, so a component that shows them is notified of every new response.
 */
export function unwrap<TData>(result: UseQueryResult<TData, TinybirdError>, last: LastResponse): TinybirdQueryResult<TData> {
  const added = (property: string | symbol): property is 'meta' | 'statistics' => property === 'meta' || property === 'statistics';
  // The read of `dataUpdatedAt` is what subscribes: react-query tracks the fields read from its result.
  const read = (property: 'meta' | 'statistics') => (result.dataUpdatedAt, last.current?.[property]);
  return new Proxy(result, {
    get: (target, property) => (added(property) ? read(property) : (Reflect.get(target, property) as unknown)),
    // So `{ ...result }` and `Object.keys(result)` see meta and statistics too (react-query's result has neither key).
    ownKeys: (target) => [...Reflect.ownKeys(target), 'meta', 'statistics'],
    getOwnPropertyDescriptor: (target, property) =>
      added(property) ? { enumerable: true, configurable: true, value: read(property) } : Reflect.getOwnPropertyDescriptor(target, property),
  }) as TinybirdQueryResult<TData>;
}

/** The client already retried what is worth retrying (429, 5xx, 403 once): a TinybirdError is final. */
export function defaultRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof TinybirdError) && failureCount < 3;
}
