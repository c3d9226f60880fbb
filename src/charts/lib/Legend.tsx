import type { ReactNode } from 'react';

interface LegendProps {
  items: readonly { key: string; label: string; color: string }[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
  /** Whether an item's button is pressed. Default: its series is shown. */
  pressed?: ((key: string) => boolean) | undefined;
  className?: string | undefined;
}

/** Series legend: real buttons, so each item is reachable by keyboard and announces whether its series is shown. */
export function Legend({ items, hidden, onToggle, pressed, className }: LegendProps): ReactNode {
  return (
    // In "choose" mode (cross-filtering) an unpressed item is one not chosen, not a hidden series: not struck through.
    <ul className={cx('rtb-legend', className)} aria-label="Series" data-mode={pressed ? 'choose' : undefined}>
      {items.map((item) => (
        <li key={item.key}>
          <button
            type="button"
            className="rtb-legend-item"
            aria-pressed={pressed ? pressed(item.key) : !hidden.has(item.key)}
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
