// Which ClickHouse errors are the caller's (a 4xx with ClickHouse's words, cleaned) and which are the server's (500).
import { HttpError, isChdbClosed, shuttingDown } from '../errors';
import { limitationHint } from './limitation-hint';
import { cleanMessage } from './sql-guard';

/** ClickHouse errors caused by a query are the caller's (4xx); anything else is ours (500). */
export function queryError(error: unknown, documentation: string): HttpError {
  if (error instanceof HttpError) return error;
  if (isChdbClosed(error)) return shuttingDown();
  const code = (error as { clickhouseCode?: number }).clickhouseCode;
  const message = `[Error] ${limitationHint(cleanMessage(error))}`;
  if (code === undefined) return new HttpError(500, message, documentation);
  if (code === 164) return new HttpError(403, message, documentation);
  if (code === 159 || code === 160 || code === 394) return new HttpError(408, message, documentation);
  // Tinybird's words for a query past its own memory limit (not the server's: that would be a 500 there).
  if (code === 241)
    return new HttpError(
      400,
      '[Error] Memory limit (for query) exceeded. Make sure the query just process the required data.',
      documentation,
    );
  return new HttpError(400, message, documentation);
}
