import type { ReactNode } from 'react';

interface StaticCartesianProps {
  kind: 'bar' | 'line' | 'area';
  points: readonly Record<string, unknown>[];
  categories: readonly string[];
  /** Numeric x values (time) for lines and areas; bars and categorical axes sit in even bands. */
  xs: readonly number[] | undefined;
  ticks: readonly number[];
  stacked: boolean;
  vertical: boolean;
  colorOf: (category: string) => string;
  width: number;
  height: number;
  /** Scale to the container's width (the server cannot measure it); the box keeps its height, so nothing shifts. */
  fluid: boolean;
}

const M = { top: 8, right: 12, bottom: 24, left: 48 };

/**
 * The chart as plain SVG, drawn without measuring anything: what a server sends in the first HTML and hydration keeps
 * until recharts takes over in the browser (recharts 3 draws nothing on the server). Same grid, marks and colours,
 * no axis text: a fluid drawing is stretched to the container, and stretched text reads badly for the moment it shows.
 */
export function StaticCartesian(props: StaticCartesianProps): ReactNode {
  const { kind, points, categories, xs, ticks, stacked, vertical, colorOf, width, height, fluid } = props;
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const plotW = Math.max(1, width - M.left - M.right);
  const plotH = Math.max(1, height - M.top - M.bottom);
  const n = points.length;
  const along = vertical ? plotH : plotW; // the category axis
  const across = vertical ? plotW : plotH; // the value axis
  const value = (v: number) => ((v - lo) / (hi - lo || 1)) * across;
  const band = along / Math.max(1, n);
  const xMin = xs ? Math.min(...xs) : 0;
  const xMax = xs ? Math.max(...xs) : 0;
  const at = (i: number) =>
    kind !== 'bar' && xs ? ((xs[i]! - xMin) / (xMax - xMin || 1)) * along : band * i + band / 2;
  // Plot coordinates (along the category axis, up the value axis) to SVG coordinates.
  const xy = (a: number, v: number): [number, number] =>
    vertical ? [M.left + v, M.top + a] : [M.left + a, M.top + plotH - v];
  const num = (p: Record<string, unknown>, c: string) => (typeof p[c] === 'number' ? (p[c] as number) : 0);

  const marks: ReactNode[] = [];
  const base = new Array<number>(n).fill(0);
  categories.forEach((c, ci) => {
    const color = colorOf(c);
    if (kind === 'bar') {
      const slot = Math.min(56, (band * 0.8) / (stacked ? 1 : categories.length));
      points.forEach((p, i) => {
        const from = stacked ? base[i]! : 0;
        const to = from + num(p, c);
        if (stacked) base[i] = to;
        const offset = stacked ? -slot / 2 : -(slot * categories.length) / 2 + slot * ci;
        const [x0, y0] = xy(at(i) + offset, value(Math.min(from, to)));
        const [x1, y1] = xy(at(i) + offset + slot, value(Math.max(from, to)));
        marks.push(
          <rect
            key={`${c}-${i}`}
            x={Math.min(x0, x1)}
            y={Math.min(y0, y1)}
            width={Math.abs(x1 - x0)}
            height={Math.abs(y1 - y0)}
            fill={color}
          />,
        );
      });
      return;
    }
    const top = points.map((p, i) => {
      const from = stacked ? base[i]! : 0;
      return { from, to: from + num(p, c) };
    });
    if (stacked) top.forEach((t, i) => (base[i] = t.to));
    const line = top.map((t, i) => xy(at(i), value(t.to)).join(',')).join(' L');
    if (kind === 'area') {
      const floor = top
        .map((t, i) => xy(at(i), value(t.from)).join(','))
        .reverse()
        .join(' L');
      marks.push(
        <path key={`${c}-fill`} d={`M${line} L${floor} Z`} fill={color} fillOpacity={stacked ? 0.55 : 0.18} />,
      );
    }
    marks.push(
      <path key={c} d={`M${line}`} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" />,
    );
  });

  return (
    <svg
      className="rtb-static-chart"
      width={fluid ? '100%' : width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="presentation"
    >
      {ticks.map((t) => {
        const [x0, y0] = xy(0, value(t));
        const [x1, y1] = xy(along, value(t));
        return (
          <line
            key={t}
            x1={x0}
            y1={y0}
            x2={vertical ? x0 : x1}
            y2={vertical ? y1 : y0}
            stroke="var(--rtb-grid)"
            vectorEffect="non-scaling-stroke"
          />
        );
      })}
      {marks}
    </svg>
  );
}
