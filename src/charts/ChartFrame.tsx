import { useContext, useId, useState, type ReactNode } from 'react';
import { formatLatency } from './lib/format';
import { cx } from './lib/Legend';
import { LiveContext } from './lib/LiveContext';
import type { ChartChromeProps } from './lib/props';
import { Skeleton, type SkeletonShape } from './lib/Skeleton';
import { useChartStyles } from './lib/useChartStyles';

/**
 * The query state a frame shows. A `useEndpoint()` result fits as is.
 *
 * @example
 * ```ts
 * const state: ChartFrameState = { status: 'success', data: rows, statistics: { elapsed: 0.004 } };
 * ```
 */
export interface ChartFrameState {
  status: 'pending' | 'error' | 'success';
  error?: Error | null;
  refetch?: () => unknown;
  statistics?: { elapsed: number } | undefined;
  isFetching?: boolean;
  data?: readonly unknown[] | undefined;
}

/**
 * Props of {@link ChartFrame}: the query state, the chrome every chart has, and what to show in each state.
 *
 * @example
 * ```ts
 * const props: ChartFrameProps = { state: query, title: 'Top airlines', skeleton: 'list', emptyMessage: 'No bookings yet' };
 * ```
 */
export interface ChartFrameProps extends ChartChromeProps {
  state: ChartFrameState;
  /** Shape of the loading skeleton. Default 'bar'. */
  skeleton?: SkeletonShape;
  /** Default: `state.data` is empty. */
  isEmpty?: boolean;
  /** Text shown when there are no rows. Default "No data for these parameters". */
  emptyMessage?: ReactNode;
  /** One-line description for screen readers (linked with aria-describedby). */
  summary?: string;
  /** Rendered after the body: the legend, a visually hidden table. */
  after?: ReactNode;
  children?: ReactNode;
}

/**
 * The card every chart sits in, with the states every chart needs: a skeleton of the chart's shape while loading, the
 * TinybirdError's message with a Retry button, "No data for these parameters", and a footer with the query latency.
 * Use it to give your own visualisation the same behaviour.
 *
 * @example
 * ```tsx
 * function Custom() {
 *   const query = useEndpoint<{ airline: string; bookings: number }>('top_airlines', { limit: 5 });
 *   return (
 *     <ChartFrame title="Top airlines" state={query} skeleton="list">
 *       <ol>{query.data?.map((r) => <li key={r.airline}>{r.airline}: {r.bookings}</li>)}</ol>
 *     </ChartFrame>
 *   );
 * }
 * ```
 */
export function ChartFrame(props: ChartFrameProps): ReactNode {
  const {
    state,
    title,
    description,
    height = 240,
    className,
    classNames = {},
    theme = 'auto',
    showLatency = true,
  } = props;
  const { skeleton = 'bar', emptyMessage = 'No data for these parameters', summary, after, children } = props;
  useChartStyles();
  const id = useId();
  const isEmpty = props.isEmpty ?? (state.data?.length ?? 0) === 0;
  const label = props['aria-label'] ?? (typeof title === 'string' ? title : undefined);
  const view =
    state.status === 'pending' ? 'loading' : state.status === 'error' ? 'error' : isEmpty ? 'empty' : 'ready';
  // Inside a chart the latency and fetching flag come from its source by context, so a poll with equal rows re-renders
  // this frame but not the chart body it wraps (`children` and `after` keep their identity).
  const live = useContext(LiveContext) ?? state;
  const elapsed = live.statistics?.elapsed;
  const download = 'download' in live ? live.download : undefined;
  const exports = download && view !== 'loading' && 'formats' in live ? (live.formats ?? []) : [];
  const [exportError, setExportError] = useState<string | null>(null);
  const showFooter = (showLatency && elapsed !== undefined && view !== 'loading') || exports.length > 0;

  return (
    <figure
      role="figure"
      className={cx('rtb-frame', className, classNames.root)}
      data-theme={theme}
      data-state={view}
      aria-label={label}
      aria-describedby={summary && view === 'ready' ? `${id}-summary` : undefined}
      aria-busy={view === 'loading' || undefined}
      style={props.width === undefined ? undefined : { width: props.width }}
    >
      {/* A frame nested in this one (say in a title) shows its own state, not this chart's. */}
      <LiveContext.Provider value={null}>
        {(title || description) && (
          <figcaption className={cx('rtb-header', classNames.header)}>
            {title && <div className={cx('rtb-title', classNames.title)}>{title}</div>}
            {description && <p className={cx('rtb-description', classNames.description)}>{description}</p>}
          </figcaption>
        )}
        <div className={cx('rtb-body', classNames.body)}>
          {view === 'loading' ? (
            <>
              <Skeleton shape={skeleton} height={height} />
              <span className="rtb-sr-only" role="status">
                Loading{label ? ` ${label}` : ''}…
              </span>
            </>
          ) : view === 'error' ? (
            <div className={cx('rtb-state', classNames.state)} style={{ minHeight: height }} role="alert">
              <span className="rtb-error">{state.error?.message ?? 'Something went wrong.'}</span>
              {errorCode(state.error) && <span className="rtb-error-code">{errorCode(state.error)}</span>}
              {state.refetch && (
                <button type="button" className="rtb-button" onClick={() => void state.refetch?.()}>
                  Retry
                </button>
              )}
            </div>
          ) : view === 'empty' ? (
            <div className={cx('rtb-state', classNames.state)} style={{ minHeight: height }}>
              {emptyMessage}
            </div>
          ) : (
            <>
              {children}
              {summary && (
                <p id={`${id}-summary`} className="rtb-sr-only">
                  {summary}
                </p>
              )}
            </>
          )}
        </div>
        {view === 'ready' && after}
      </LiveContext.Provider>
      {live.isFetching && view !== 'loading' && <span className="rtb-fetching" title="Updating" aria-hidden />}
      {showFooter && (
        <div className={cx('rtb-footer', classNames.footer)}>
          {showLatency && elapsed !== undefined && view !== 'loading' && <>Latency {formatLatency(elapsed)}</>}
          {exports.map((format) => (
            <button
              key={format}
              type="button"
              className="rtb-export"
              aria-label={`Download ${label ?? 'the rows'} as ${format.toUpperCase()}`}
              onClick={() => {
                setExportError(null);
                download!(format).catch((error: Error) => setExportError(error.message));
              }}
            >
              {format.toUpperCase()}
            </button>
          ))}
          {exportError && <span role="alert">{exportError}</span>}
        </div>
      )}
    </figure>
  );
}

const errorCode = (error: Error | null | undefined): string | undefined =>
  error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
