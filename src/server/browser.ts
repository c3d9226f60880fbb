// What bundlers resolve for 'react-tinybird/server' under the `browser` condition: fail on load, and keep the same
// export names so the build itself succeeds and this message (rather than a "missing export") explains the mistake.
// test/package/dist.test.ts checks that these names are exactly the server entry's.
import { SERVER_ONLY_MESSAGE } from './guard';

throw new Error(SERVER_ONLY_MESSAGE);

function serverOnly(): never {
  throw new Error(SERVER_ONLY_MESSAGE);
}

export const createTinybirdJWT = serverOnly;
export const createTokenHandler = serverOnly;
export const readAdminToken = serverOnly;
export const createTinybirdClient = serverOnly;
export const endpointQueryOptions = serverOnly;
export const resolveDashboardParams = serverOnly;
export const TinybirdError = serverOnly;
export const TinybirdConfigError = serverOnly;
