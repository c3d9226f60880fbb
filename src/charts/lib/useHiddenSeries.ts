import { useState } from 'react';

/**
 * Which series (or slices) the legend has switched off, and the toggle its buttons call. Kept in the chart view, not
 * the source, so hiding a series redraws the chart without touching the query.
 */
export function useHiddenSeries(): [hidden: ReadonlySet<string>, toggle: (key: string) => void] {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (key: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return [hidden, toggle];
}
