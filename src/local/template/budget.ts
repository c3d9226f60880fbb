// What one render may cost. A template runs on the server's only thread, and the Query API lets any token holder write
// one (`q=%...`): every loop, value and output is bounded so a render ends in a fraction of a second and in a few tens
// of MB whatever the template, and each bound answers a 400 instead of stalling or killing the process (sizes: limits.ts).
import { TemplateError } from './errors';
import { checkIterations } from './limits';
import { Sql, type Value } from './values';

/**
 * Units of work in one render: each expression evaluated or block run costs STEP, each list item an operation takes in
 * or gives out ITEM (each item is compared or copied one by one), each character 1 (strings are copied and searched in
 * bulk). About a quarter of a second on this machine's slowest path, whatever the template.
 */
export const MAX_WORK = 20_000_000;
const STEP = 10;
const ITEM = 10;

export class Budget {
  private work = 0;
  private iterations = 0;

  /** One expression evaluated or block run. */
  step(): void {
    this.spend(STEP);
  }

  /** One loop iteration. */
  iteration(): void {
    checkIterations(++this.iterations);
    this.step();
  }

  /** An operation that read or built `v`: costs its size. */
  moved(v: Value): void {
    this.spend(size(v));
  }

  private spend(units: number): void {
    this.work += units;
    if (this.work > MAX_WORK)
      throw new TemplateError(
        'Template Syntax Error: the template does too much work to render (loops over large values): ' +
          'make it simpler or pass fewer values',
      );
  }
}

/** The characters or items in a value, what an operation over it moves. */
function size(v: Value): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.length * ITEM;
  if (v instanceof Sql) return v.sql.length;
  return 1;
}
