// The query settings a rendered template asked for through max_threads(n) and disable('analyzer'), read back from the
// comments those functions render (Tinybird's own text): renderTemplate returns SQL only, and these lines can only
// come from the functions or from the pipe's author (a request value is always quoted, its line breaks escaped).
import { availableParallelism } from 'node:os';

const MAX_THREADS = /-- max_threads (\d+)(?:\n|$)/g;
const NO_ANALYZER = /-- disable analyzer(?:\n|$)/;

/**
 * A `SETTINGS ...` clause to append to the query that runs `sql`, or '' when it asked for nothing. max_threads is held
 * to 1..the machine's cores (the smallest wins when nodes ask for different ones); nothing here reaches the time and
 * memory limits of the query.
 *
 * @example
 * templateSettings("SELECT 1 -- max_threads 2\n") // ' SETTINGS max_threads = 2'
 */
export function templateSettings(sql: string): string {
  const settings: string[] = [];
  const threads = [...sql.matchAll(MAX_THREADS)].map((m) => Number(m[1])).filter((n) => n >= 1);
  if (threads.length > 0) settings.push(`max_threads = ${Math.min(...threads, availableParallelism())}`);
  if (NO_ANALYZER.test(sql)) settings.push('enable_analyzer = 0');
  return settings.length > 0 ? ` SETTINGS ${settings.join(', ')}` : '';
}
