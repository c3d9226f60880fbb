// Server entry: signs Tinybird JWTs with the workspace admin token, and queries on the server. Never bundle it for a browser.
import { assertNotBrowser } from './guard';

assertNotBrowser();

export { createTinybirdJWT } from './sign';
export type { CreateTinybirdJWTOptions, TinybirdJWTLimits } from './sign';
export { createTokenHandler } from './token-handler';
export type { TokenHandlerGrant, TokenHandlerOptions, TokenResponseBody } from './token-handler';
export { readAdminToken } from './admin-token';
export { TinybirdConfigError } from './errors';
export type { TinybirdConfigErrorCode } from './errors';
export type { AdminTokenInfo } from './admin-token';
export type {
  TinybirdScope,
  PipesReadScope,
  DatasourcesReadScope,
  DatasourcesAppendScope,
  FixedParamValue,
} from './scopes';
export type { FixedParams, GrantScope } from './grant-scope';

// Querying on the server, e.g. prefetching in a React Server Component, which cannot call the 'use client' entry's
// functions. The same code as the client entry's (React-free), so query keys match useEndpoint's.
export { createTinybirdClient } from '../core/createTinybirdClient';
export { endpointQueryOptions } from './query-options';
// A DashboardProvider's params for a request's URL, to prefetch the view the first HTML shows.
export { resolveDashboardParams } from './resolveDashboardParams';
export type { ResolveDashboardParamsOptions, ResolvedDashboardParams } from './resolveDashboardParams';
// The same error as the client entry's: `instanceof TinybirdError` recognises errors from either bundle.
export { TinybirdError } from '../core/errors';
export type { TinybirdErrorCode, TinybirdErrorDetails } from '../core/errors';
