/**
 * Side-effect module: gives this Node process a visible jsdom document, as React and react-query expect in a browser tab.
 * Imported first by bench/index.ts, before anything loads react-dom or react-query (both look for `window` once, when
 * they load). Node's own fetch stays: requests are real HTTP.
 */
import { JSDOM } from 'jsdom';

// pretendToBeVisual: the page reports visible, so react-query keeps polling as in a foreground tab.
const { window } = new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: true,
});
const globals = globalThis as Record<string, unknown>;
const source = window as unknown as Record<string, unknown>;
const define = (key: string, value: unknown) =>
  Object.defineProperty(globals, key, { value, configurable: true, writable: true });

define('window', window);
define('document', window.document);
define('navigator', window.navigator);
for (const key of ['HTMLElement', 'Element', 'Node', 'Text', 'Event', 'CustomEvent', 'MutationObserver'])
  define(key, source[key]);
for (const key of ['getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) {
  define(key, (source[key] as (...args: unknown[]) => unknown).bind(window));
}
Object.assign(window, { fetch: globalThis.fetch });
