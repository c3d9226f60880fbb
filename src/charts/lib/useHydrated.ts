import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False on the server and during hydration, true once in the browser (at once for a chart first rendered there): what
 * decides between the static SVG, which the server can draw, and recharts, which measures and animates in the browser.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
