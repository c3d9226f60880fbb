/**
 * A value a pipe parameter accepts. `null` and `undefined` mean "not sent" (the pipe's default applies).
 *
 * @example
 * ```ts
 * const since: ParamValue = new Date(Date.now() - 86_400_000);
 * ```
 */
export type ParamValue =
  string | number | boolean | Date | null | undefined | ReadonlyArray<string | number | boolean | Date>;

/**
 * Pipe parameters by name.
 *
 * @example
 * ```ts
 * const params: Params = { limit: 10, airlines: ['AA', 'BA'], start: undefined };
 * ```
 */
export type Params = Record<string, ParamValue>;

/**
 * A Date is a point in time: `YYYY-MM-DD HH:MM:SS` in UTC, the form Tinybird's DateTime() accepts, midnight included
 * (DateTime() refuses a bare day). A Date() parameter takes a `YYYY-MM-DD` string: pass one.
 */
function encodeScalar(value: string | number | boolean | Date): string {
  if (!(value instanceof Date)) return String(value);
  if (Number.isNaN(value.getTime())) throw new TypeError('Invalid Date param');
  return value.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Turns params into the string map Tinybird reads: Dates in UTC, arrays comma-joined (what `Array()`
 * splits), null/undefined and empty arrays left out. `token` is refused: in a query string it would override the Bearer header and leak.
 *
 * @example
 * ```ts
 * encodeParams({ airlines: ['AA', 'BA'], since: new Date('2024-05-01T00:00:00Z'), day: '2024-05-01', limit: undefined });
 * // { airlines: 'AA,BA', since: '2024-05-01 00:00:00', day: '2024-05-01' }
 * ```
 */
export function encodeParams(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    // An empty list means "no filter" far more often than "match nothing": leave it out so defined() is false.
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (name === 'token') {
      throw new TypeError('No token param: the token goes in the Authorization header');
    }
    out[name] = Array.isArray(value)
      ? value.map(encodeScalar).join(',')
      : encodeScalar(value as string | number | boolean | Date);
  }
  return out;
}
