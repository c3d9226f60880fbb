// The one error type the local server's routes throw: a status and Tinybird's message text.

const DOCS = 'https://www.tinybird.co/docs/api-reference';

/** Documentation links Tinybird puts next to its error messages. */
export const DOC = {
  auth: `${DOCS}#authentication`,
  pipes: `${DOCS}/pipe-api`,
  sql: `${DOCS}/query-api`,
  events: `${DOCS}/events-api`,
  datasources: `${DOCS}/datasource-api`,
  tokens: `${DOCS}/token-api`,
  limits: `${DOCS}#limits`,
} as const;

/** An HTTP error answered as Tinybird does: `{ error, documentation }` with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
    readonly documentation: string = DOCS,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What a request gets once close() has begun: 503, so clients retry elsewhere or later instead of seeing a crash. */
export function shuttingDown(): HttpError {
  return new HttpError(503, 'The local server is shutting down: retry once it is running again', DOCS);
}

/** chDB's error for a call on a session that close() already released. */
export function isChdbClosed(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'CHDB_CLOSED';
}
