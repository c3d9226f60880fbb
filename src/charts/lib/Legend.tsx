import type { ReactNode } from 'react';

interface LegendProps {
  items: readonly { key: string; label: string; color: string }[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
  className?: string | undefined;
}

/** Series legend: real buttons, so each item is reachable by keyboard and announces whether its series is shown. */
export function Legend({ items, hidden, onToggle, className }: LegendProps): ReactNode {
  return (
    <ul className={cx('rtb-legend', className)} aria-label="Series">
      {items.map((item) => (
        <li key={item.key}>
          <button
            type="button"
            className="rtb-legend-item"
            aria-pressed={!hidden.has(item.key)}
            onClick={() => onToggle(item.key)}
          >
            <span className="rtb-swatch" style={{ background: item.color }} aria-hidden />
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

export const cx = (...names: (string | false | null | undefined)[]): string => names.filter(Boolean).join(' ');
