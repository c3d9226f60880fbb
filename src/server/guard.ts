/** Why the server entry refuses to load in a browser. Shared by the guard and the `browser` build. */
export const SERVER_ONLY_MESSAGE =
  'react-tinybird/server must not be imported from client code: it signs tokens with your Tinybird admin token, ' +
  'which must never reach a browser. Import it only in server code (route handlers, server actions, API routes) ' +
  'and import hooks from "react-tinybird" in the browser.';

/** Throws when loaded where a DOM exists (a browser bundle, or a test environment that emulates one). */
export function assertNotBrowser(): void {
  if (typeof window !== 'undefined' && typeof document !== 'undefined') throw new Error(SERVER_ONLY_MESSAGE);
}
