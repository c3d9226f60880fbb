// How much request data (Events API NDJSON, imported files) the server holds at once, waiting for the writer or being
// written, process-wide. A gzip body inflates hundreds of times (50 MB of NDJSON from 100 KB, a 200 MB file from a few
// hundred KB): forty small appends held 4 GB. Past the budget, a 429 the client retries; a request alone is always
// taken, whatever its size.
import { getHeapStatistics } from 'node:v8';
import { DOC, HttpError } from '../errors';

/** A quarter of the JavaScript heap, 256 MB at most. */
const HELD_MAX = Math.min(256 * 1024 * 1024, getHeapStatistics().heap_size_limit / 4);
let held = 0;

/**
 * Runs `work` while `size` bytes of request data are counted as held, or throws a 429 when they would pass the budget.
 *
 * @example
 * return withHeldData(body.length, () => engine.append(ds, body));
 */
export async function withHeldData<T>(size: number, work: () => Promise<T>): Promise<T> {
  if (held > 0 && held + size > HELD_MAX)
    throw new HttpError(429, 'Too much data is waiting to be written: retry in a second', DOC.limits, {
      'Retry-After': '1',
    });
  held += size;
  try {
    return await work();
  } finally {
    held -= size;
  }
}
