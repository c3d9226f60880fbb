/**
 * What a {@link TinybirdConfigError} is about.
 *
 * @example
 * ```ts
 * const code: TinybirdConfigErrorCode = 'INVALID_SCOPES';
 * ```
 */
export type TinybirdConfigErrorCode = 'INVALID_SIGNING_KEY' | 'INVALID_SCOPES' | 'INVALID_LIFETIME' | 'INVALID_OPTION';

/**
 * The one error the server helpers throw: an option they cannot use, and what to pass instead. A TypeError (the caller
 * passed a wrong argument), named like one, with a `code`; `detail` is the message without the package prefix, for
 * callers that show it in their own words (the local server's Token API does).
 *
 * @example
 * ```ts
 * try {
 *   await createTinybirdJWT(options);
 * } catch (error) {
 *   if (error instanceof TinybirdConfigError && error.code === 'INVALID_SIGNING_KEY') console.error(error.detail);
 * }
 * ```
 */
export class TinybirdConfigError extends TypeError {
  constructor(
    readonly code: TinybirdConfigErrorCode,
    readonly detail: string,
  ) {
    super(`react-tinybird/server: ${detail}`);
  }
}
