import type { UseQueryResult } from '@tanstack/react-query';
import type { ColumnMeta, QueryResult, QueryStatistics } from '../core/client';
import { TinybirdError } from '../core/errors';

/** What useEndpoint/useSql cache-select: rows (after the user's select) plus the result's metadata. */
export interface Selected<T> {
  data: T;
  meta: ColumnMeta[];
  statistics: QueryStatistics;
}

/**

 * The hooks' result: react-query's, with `data` the rows and the result's `meta` and `statistics` alongside.
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

export function selectRows<Row, TData>(select?: (rows: Row[]) => TData) {
  return (result: QueryResult<Row>): Selected<TData> => ({
    data: select ? select(result.data) : (result.data as TData),
    meta: result.meta,
    statistics: result.statistics,
  });
}

/**
 * A view of react-query's result with `data` unwrapped. A Proxy rather than a spread keeps react-query's tracked
 * properties: a component re-renders only for the fields it reads.
 */
export function unwrap<TData>(result: UseQueryResult<Selected<TData>, TinybirdError>): TinybirdQueryResult<TData> {
  const added = (property: string | symbol): property is 'meta' | 'statistics' => property === 'meta' || property === 'statistics';
  return new Proxy(result, {
    // `data`, `meta` and `statistics` are the fields of the selected value; react-query's `data` is that value.
    get: (target, property, receiver) =>
      property === 'data' || added(property) ? target.data?.[property] : (Reflect.get(target, property, receiver) as unknown),
    // So `{ ...result }` and `Object.keys(result)` see meta and statistics too.
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), 'meta', 'statistics'])],
    getOwnPropertyDescriptor: (target, property) =>
      added(property)
        ? { configurable: true, enumerable: true, value: target.data?.[property] }
        : Reflect.getOwnPropertyDescriptor(target, property),
  }) as unknown as TinybirdQueryResult<TData>;
}

/** The client already retried what is worth retrying (429, 5xx, 403 once): a TinybirdError is final. */
export function defaultRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof TinybirdError) && failureCount < 3;
}
