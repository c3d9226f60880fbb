import type { ReactNode } from 'react';

/**
 * The outline a chart shows while its first rows load: its own shape, so the page does not jump when data arrives.
 *
 * @example
 * ```tsx
 * <ChartFrame state={query} skeleton="table">…</ChartFrame>
 * ```
 */
export type SkeletonShape = 'bar' | 'line' | 'area' | 'donut' | 'list' | 'table' | 'metric';

// Fixed heights (not random) so server and client render the same markup.
const BARS = [62, 80, 45, 90, 70, 55, 84, 38, 66, 75];

export function Skeleton({ shape, height }: { shape: SkeletonShape; height: number }): ReactNode {
  const block = 'rtb-skeleton-block';
  switch (shape) {
    case 'bar':
      return (
        <div className="rtb-skeleton" style={{ height }}>
          {BARS.map((h, i) => (
            <div key={i} className={block} style={{ flex: 1, height: `${h}%` }} />
          ))}
        </div>
      );
    case 'line':
    case 'area':
      return (
        <svg className="rtb-skeleton" viewBox="0 0 100 40" preserveAspectRatio="none" style={{ height }} aria-hidden>
          <path
            className={block}
            d={`M0 30 C15 22 25 28 40 18 S65 20 75 12 S92 14 100 8${shape === 'area' ? ' L100 40 L0 40 Z' : ''}`}
            fill={shape === 'area' ? 'var(--rtb-skeleton)' : 'none'}
            stroke="var(--rtb-skeleton)"
            strokeWidth={shape === 'area' ? 0 : 2}
            vectorEffect="non-scaling-stroke"
          />
        </svg>
      );
    case 'donut':
      return (
        <div className="rtb-skeleton" style={{ height, justifyContent: 'center', alignItems: 'center' }}>
          <div
            className={block}
            style={{
              height: Math.min(height - 16, 220),
              aspectRatio: '1',
              borderRadius: '50%',
              background: 'none',
              border: `${Math.round(Math.min(height, 220) / 7)}px solid var(--rtb-skeleton)`,
            }}
          />
        </div>
      );
    case 'list':
    case 'table':
      return (
        <div className="rtb-skeleton" style={{ height, flexDirection: 'column', alignItems: 'stretch', gap: 8 }}>
          {BARS.slice(0, Math.max(3, Math.floor(height / 38))).map((w, i) => (
            <div
              key={i}
              className={block}
              style={{ height: shape === 'list' ? 30 : 22, width: shape === 'list' ? `${w}%` : '100%' }}
            />
          ))}
        </div>
      );
    case 'metric':
      return (
        <div className="rtb-skeleton" style={{ flexDirection: 'column', alignItems: 'flex-start', gap: 8 }}>
          <div className={block} style={{ height: 34, width: '55%' }} />
          <div className={block} style={{ height: 16, width: '25%' }} />
        </div>
      );
  }
}
