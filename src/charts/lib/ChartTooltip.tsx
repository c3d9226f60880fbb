import type { ReactNode } from 'react';

interface TooltipEntry {
  dataKey?: unknown;
  name?: unknown;
  value?: unknown;
  color?: string;
  payload?: unknown;
}

interface ChartTooltipProps {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  label?: unknown;
  formatLabel: (label: unknown, entry?: TooltipEntry) => string;
  formatValue: (value: number) => string;
  colorOf: (key: string) => string;
}

/** Tooltip in the theme's colours (recharts' default is hard-coded white). */
export function ChartTooltip({
  active,
  payload,
  label,
  formatLabel,
  formatValue,
  colorOf,
}: ChartTooltipProps): ReactNode {
  if (!active || !payload?.length) return null;
  return (
    <div className="rtb-tooltip">
      <div style={{ fontWeight: 600, marginBottom: 4 }}>{formatLabel(label, payload[0])}</div>
      {payload.map((entry) => {
        const key = String(entry.dataKey ?? entry.name);
        return (
          <div key={key} className="rtb-tooltip-row">
            <span className="rtb-swatch" style={{ background: entry.color ?? colorOf(key) }} />
            <span>{String(entry.name ?? key)}</span>
            <span className="rtb-tooltip-value">
              {typeof entry.value === 'number' ? formatValue(entry.value) : String(entry.value)}
            </span>
          </div>
        );
      })}
    </div>
  );
}
