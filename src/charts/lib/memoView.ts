import { memo } from 'react';

// Props only the source reads: the view gets what they produce in `state`, so a parent re-rendering with a fresh
// `params={{ ... }}` or `queryOptions` literal does not redraw the chart while the rows stay the same.
const SOURCE_ONLY = new Set([
  'params',
  'refreshInterval',
  'queryOptions',
  'data',
  'meta',
  'dashboard',
  'exportFormats',
]);

// Array literals (`categories={['a']}`, `colors`) count as unchanged when their items are.
const same = (a: unknown, b: unknown): boolean =>
  Object.is(a, b) ||
  (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => Object.is(v, b[i])));

function sameViewProps(prev: Record<string, unknown>, next: Record<string, unknown>): boolean {
  const keys = Object.keys(next);
  if (keys.length !== Object.keys(prev).length) return false;
  return keys.every((key) => SOURCE_ONLY.has(key) || (key in prev && same(prev[key], next[key])));
}

/**
 * A chart view (the recharts tree, list or table) that re-renders only when its state (rows, meta, status) or its own
 * props change, not when a poll returns equal rows. Keeps the view's generic signature.
 */
export const memoView = <View>(view: View): View => memo(view as never, sameViewProps as never) as View;
