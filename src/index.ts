'use client';
// Client entry. Charts import these through 'react-tinybird' too, so the provider's context exists once.

export { TinybirdError } from './core/errors';
export type { TinybirdErrorCode, TinybirdErrorDetails } from './core/errors';
export { TokenSource } from './core/token-source';
export type { TokenGrant, TokenSourceOptions, TokenState } from './core/token-source';
export { TinybirdClient } from './core/client';
export type {
  AppendResult,
  ColumnMeta,
  QueryResult,
  QueryStatistics,
  RequestOptions,
  TinybirdClientOptions,
} from './core/client';
export { createTinybirdClient } from './core/createTinybirdClient';
export { EventQueue } from './core/event-queue';
export type { EventQueueOptions, EventTransport, FailedBatch, QueueStats } from './core/event-queue';
export type { RequestEvent } from './core/internal/request-event';
export { encodeParams } from './core/params';
export type { ParamValue, Params } from './core/params';

export { TinybirdProvider } from './react/TinybirdProvider';
export type { TinybirdProviderProps } from './react/TinybirdProvider';
export { useTinybird } from './react/useTinybird';
export { useTinybirdQueryClient } from './react/useTinybirdQueryClient';
export { useTinybirdToken } from './react/useTinybirdToken';
export type { TinybirdTokenState } from './react/useTinybirdToken';
export { useEndpoint } from './react/useEndpoint';
export type { EndpointOptions } from './react/useEndpoint';
export { useSql } from './react/useSql';
export { useAppend } from './react/useAppend';
export type { UseAppendOptions, UseAppendResult } from './react/useAppend';
export { endpointQueryOptions } from './core/endpoint-query-options';
export type { PipeRef } from './core/endpoint-query-options';
export type { TinybirdQueryResult } from './react/useTinybirdQuery';
export { DashboardContext } from './react/DashboardContext';
export type { DashboardContextValue } from './react/DashboardContext';
export type {
  DatasourceDefinitionLike,
  DatasourceRow,
  EndpointDefinitionLike,
  EndpointParams,
  EndpointRow,
} from './core/sdk-types';
export type {
  DatasourceName,
  ParamsAndOptions,
  PipeName,
  Register,
  RegisteredAppendRow,
  RegisteredColumn,
  RegisteredParams,
  RegisteredRow,
} from './core/register';
