import type { ErrorStatus } from '../errors';

/**
 * A template could not be rendered: a bad or missing request parameter, a syntax error in the pipe, or an `error()`
 * call. The local server answers it with `status` (400 unless the template chose another) and `message` as the body.
 *
 * @example
 * try { renderTemplate(sql, params) } catch (e) { if (e instanceof TemplateError) return json({ error: e.message }, e.status) }
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly status: ErrorStatus;

  /**
   * @param body custom_error()'s own answer: a JSON object the server sends as the body, or text sent as it is
   *   (Tinybird writes either straight out); undefined for every other error, answered `{ error, documentation }`.
   */
  constructor(
    message: string,
    status = 400,
    readonly body?: string | Record<string, unknown>,
  ) {
    super(message);
    // error(msg, code) lets a pipe pick its status; anything that is not an HTTP error status falls back to 400.
    this.status = (Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400) as ErrorStatus;
  }
}

/** Tinybird prefixes parameter validation failures with this; clients match on it. */
export const SYNTAX = 'Template Syntax Error: ';

/** Tinybird's text for a typed parameter that was not sent and has no default. */
export const REQUIRED = 'Required parameter is not defined';

export function validationError(value: unknown, type: string, why = ''): TemplateError {
  return new TemplateError(`${SYNTAX}Error validating '${show(value)}' to type ${type}${why}`);
}

/** Echoes a bad value in a message without letting a megabyte of it through. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

/** A typed call on a parameter not sent, with no default: the renderer words the message for the whole template. */
export class RequiredError extends TemplateError {}
