/** Change listeners. `emit` calls a copy of the set, so a listener may unsubscribe (or subscribe another) while called. */
export function listeners() {
  const set = new Set<() => void>();
  return {
    subscribe(listener: () => void): () => void {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(): void {
      for (const listener of [...set]) listener();
    },
  };
}

/** Adds (`on`) or removes the page lifecycle listeners; does nothing outside browsers (SSR, Node). */
export function onPage(on: boolean, visibilityChange: () => void, pageHide?: () => void, online?: () => void): void {
  if (typeof document === 'undefined') return;
  const method = on ? 'addEventListener' : 'removeEventListener';
  document[method]('visibilitychange', visibilityChange);
  if (pageHide) window[method]('pagehide', pageHide);
  if (online) window[method]('online', online);
}
