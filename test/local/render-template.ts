// Rendering a node body in the template tests: the '%' line is added here, the result trimmed.
import { expect } from 'vitest';
import { renderTemplate, TemplateError } from '../../src/local/template';

/** Renders a node body (the '%' line is added here) and trims the result. */
export const render = (body: string, params: Record<string, unknown> = {}) =>
  renderTemplate(`%\n${body}`, params).trim();

/** The TemplateError a render throws (fails the test when it renders instead). */
export function failure(body: string, params: Record<string, unknown> = {}): TemplateError {
  try {
    render(body, params);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error(`rendered without an error: ${body}`);
}
