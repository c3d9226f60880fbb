import { useSyncExternalStore } from 'react';

const query = '(prefers-reduced-motion: reduce)';
const media = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : undefined);

/** Charts skip their entry animation for people who asked the OS for less motion. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const m = media();
      m?.addEventListener('change', notify);
      return () => m?.removeEventListener('change', notify);
    },
    () => media()?.matches ?? false,
    () => false,
  );
}
