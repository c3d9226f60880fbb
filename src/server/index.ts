// Server entry: signs Tinybird JWTs with the workspace admin token. Never bundle it for a browser.
import { assertNotBrowser } from './guard';

assertNotBrowser();

export { createTinybirdJWT } from './sign';
export type { CreateTinybirdJWTOptions, TinybirdJWTLimits } from './sign';
export { createTokenHandler } from './token-handler';
export type { TokenHandlerGrant, TokenHandlerOptions, TokenResponseBody } from './token-handler';
export { readAdminToken } from './admin-token';
export type { AdminTokenInfo } from './admin-token';
export type { TinybirdScope, PipesReadScope, DatasourcesReadScope, DatasourcesAppendScope, FixedParamValue } from './scopes';
