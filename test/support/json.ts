/**
 * A parsed JSON response body as the tests read it: navigated freely (`res.json.data[0].airline`) and checked by the
 * assertions themselves. It is exactly what JSON.parse and Response.json() return.
 */
export type Json = ReturnType<typeof JSON.parse>;
