// The local server's errors: failures it expects and explains (LocalServerError, with a code), and the requests it
// refuses (HttpError, with an HTTP status and Tinybird's message text).
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';

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

/** The statuses an error answer may carry. */
export type ErrorStatus = ClientErrorStatusCode | ServerErrorStatusCode;

/**
 * What a {@link LocalServerError} is about: `HTTP` for a refused request (an {@link HttpError}), else a failure to start
 * or to load the project.
 */
export type LocalServerErrorCode =
  | 'HTTP'
  | 'INVALID_DATAFILE'
  | 'CHDB_MISSING'
  | 'CHDB_LOCKED'
  | 'PORT_IN_USE'
  | 'WORKSPACE_UNREADABLE'
  | 'NOT_THE_DEMO_PROJECT';

/**
 * A failure the local server expects and explains: the message says what to do. The CLI prints the message alone for
 * these; anything else is a bug and gets its stack.
 */
export class LocalServerError extends Error {
  override readonly name: string = 'LocalServerError';

  constructor(
    readonly code: LocalServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A refused request, answered as Tinybird does: `{ error, documentation }` with `status`. */
export class HttpError extends LocalServerError {
  override readonly name = 'HttpError';

  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly documentation: string = DOCS,
    readonly headers: Record<string, string> = {},
  ) {
    super('HTTP', message);
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
