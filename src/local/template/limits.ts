// The sizes a template may reach: checked before a value is built, so an oversized one is a 400, never a crash.
import { TemplateError } from './errors';

/** Loop iterations in one render, all loops together. */
export const MAX_ITERATIONS = 100_000;
/** Characters of rendered SQL (and of any one string a template builds). */
export const MAX_OUTPUT = 8 * 1024 * 1024;
/** Items of a list a template builds (`a + b`, split(), range()...). */
export const MAX_LIST = 100_000;
const number = (n: number) => n.toLocaleString('en-US');

/** Refuses a string longer than MAX_OUTPUT before it is built. */
export function checkString(length: number): void {
  if (length > MAX_OUTPUT)
    throw new TemplateError(
      `Template Syntax Error: the template builds a string of more than ${number(MAX_OUTPUT)} characters`,
    );
}

/** Refuses a list longer than MAX_LIST before it is built. */
export function checkList(length: number): void {
  if (length > MAX_LIST)
    throw new TemplateError(`Template Syntax Error: the template builds a list of more than ${number(MAX_LIST)} items`);
}

/** Refuses a loop past MAX_ITERATIONS iterations (all loops of the render together). */
export function checkIterations(count: number): void {
  if (count > MAX_ITERATIONS)
    throw new TemplateError(`Template Syntax Error: too many loop iterations (more than ${number(MAX_ITERATIONS)})`);
}
