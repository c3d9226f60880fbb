import type { CSSProperties, ReactNode } from 'react';
import { useDashboard } from './useDashboard';

/**
 * Props of {@link FilterChips}.
 *
 * @example
 * ```ts
 * const props: FilterChipsProps = { labels: { airline: 'Airline' } };
 * ```
 */
export interface FilterChipsProps {
  /** Display names by param name. Default: the param name. */
  labels?: Readonly<Record<string, ReactNode>>;
  className?: string;
  style?: CSSProperties;
}

const chip: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 4,
  padding: '2px 4px 2px 10px',
  borderRadius: 999,
  border: '1px solid var(--rtb-grid, #e5e7eb)',
  fontSize: 13,
};
const button: CSSProperties = {
  border: 0,
  background: 'none',
  cursor: 'pointer',
  color: 'inherit',
  font: 'inherit',
  padding: '0 6px',
};

/**
 * The active filters as removable chips, and "Clear filters" to restore the unfiltered view. Renders nothing when no
 * filter is set.
 *
 * @example
 * ```tsx
 * <FilterChips labels={{ airline: 'Airline' }} />
 * ```
 */
export function FilterChips({ labels = {}, className, style }: FilterChipsProps): ReactNode {
  const { filters, setFilter, clearFilters } = useDashboard();
  const active = Object.entries(filters);
  if (active.length === 0) return null;
  return (
    <ul
      aria-label="Active filters"
      className={className ?? 'rtb-chips'}
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, listStyle: 'none', margin: 0, padding: 0, ...style }}
    >
      {active.map(([name, value]) => (
        <li key={name} style={chip}>
          <span>
            {labels[name] ?? name}: <strong>{value}</strong>
          </span>
          <button
            type="button"
            style={button}
            aria-label={`Remove filter ${name}: ${value}`}
            onClick={() => setFilter(name, null)}
          >
            ×
          </button>
        </li>
      ))}
      <li>
        <button type="button" style={{ ...button, textDecoration: 'underline' }} onClick={clearFilters}>
          Clear filters
        </button>
      </li>
    </ul>
  );
}
