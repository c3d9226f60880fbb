/** What the page just did: a cause of failure ending (`online`, `visible`) or the page going away (`hidden`, `pagehide`). */
export type PageEvent = 'online' | 'visible' | 'hidden' | 'pagehide' | 'pageshow';

type Listener = (event: PageEvent, persisted?: boolean) => void;

const subscribers = new Set<Listener>();
const types = ['online', 'visibilitychange', 'pagehide', 'pageshow'];

const dispatch = (event: Event) => {
  const { type } = event;
  // 'visible' or 'hidden': the two states of the standard ('prerender' left it and the browsers).
  const page = (type === 'visibilitychange' ? document.visibilityState : type) as PageEvent;
  for (const listener of [...subscribers]) listener(page, (event as PageTransitionEvent).persisted);
};

/**
 * The one owner of the page's lifecycle listeners (online, visibility, page hide and show), TanStack's onlineManager
 * and focusManager in one: the token source, the event queue and the healing of failed queries subscribe here, and
 * nothing else adds a window listener. Listeners are on `window` in the capture phase, so they run before react-query's
 * own: on `online` the token source has already started its fetch when react-query's reconnect refetch asks for a
 * token, and that refetch waits for it instead of failing. Does nothing outside browsers. Returns the unsubscribe.
 */
export function onPageEvent(listener: Listener): () => void {
  // A document means a window; neither in Node, workers or Deno.
  if (typeof document === 'undefined') return () => {};
  if (!subscribers.size) for (const type of types) window.addEventListener(type, dispatch, true);
  subscribers.add(listener);
  return () => {
    if (subscribers.delete(listener) && !subscribers.size)
      for (const type of types) window.removeEventListener(type, dispatch, true);
  };
}
