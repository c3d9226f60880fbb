import { createContext } from 'react';
import type { ExportFormat } from './download';

/** What a poll changes even when the rows are equal: only the frame's footer and fetching dot show it. */
interface Live {
  statistics?: { elapsed: number } | undefined;
  isFetching?: boolean | undefined;
  /** Saves what the chart shows as a file in one of `formats` (the chart's `exportFormats`). */
  download?: ((format: ExportFormat) => Promise<void>) | undefined;
  formats?: readonly ExportFormat[] | undefined;
}

/**
 * A chart's source hands its frame the latency and fetching flag through context rather than props, so a poll that
 * brings the same rows re-renders the frame (a consumer) and not the memoised chart body between them.
 */
export const LiveContext = createContext<Live | null>(null);
