import type { ReactNode } from 'react';

interface StaticDonutProps {
  slices: readonly { key: string; value: number; color: string }[];
  width: number;
  height: number;
  fluid: boolean;
}

/** A point on a circle, angles clockwise from twelve o'clock. */
const polar = (cx: number, cy: number, r: number, angle: number) => [
  cx + r * Math.sin(angle),
  cy - r * Math.cos(angle),
];

/**
 * The donut as plain SVG, for the server's HTML and hydration (recharts 3 draws nothing on the server): the same
 * slices, radii (62 % and 92 % of the half-height) and colours, kept round in any container.
 */
export function StaticDonut({ slices, width, height, fluid }: StaticDonutProps): ReactNode {
  const total = slices.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  const cx = width / 2;
  const cy = height / 2;
  const outer = (Math.min(width, height) / 2) * 0.92;
  const inner = (Math.min(width, height) / 2) * 0.62;
  let angle = 0;
  return (
    <svg
      className="rtb-static-chart"
      width={fluid ? '100%' : width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="presentation"
    >
      {total > 0 &&
        slices.map((s) => {
          const sweep = (Math.max(0, s.value) / total) * 2 * Math.PI;
          // A full circle cannot be one arc: stop a hair short.
          const end = angle + Math.min(sweep, 2 * Math.PI - 1e-4);
          const large = sweep > Math.PI ? 1 : 0;
          const [ox0, oy0] = polar(cx, cy, outer, angle);
          const [ox1, oy1] = polar(cx, cy, outer, end);
          const [ix1, iy1] = polar(cx, cy, inner, end);
          const [ix0, iy0] = polar(cx, cy, inner, angle);
          angle += sweep;
          return (
            <path
              key={s.key}
              d={`M${ox0},${oy0} A${outer},${outer} 0 ${large} 1 ${ox1},${oy1} L${ix1},${iy1} A${inner},${inner} 0 ${large} 0 ${ix0},${iy0} Z`}
              fill={s.color}
              stroke="var(--rtb-bg)"
            />
          );
        })}
    </svg>
  );
}
