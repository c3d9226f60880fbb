import { useInsertionEffect } from 'react';
import { chartStyles } from '../chartStyles';

const STYLE_ID = 'rtb-styles';

/**
 * Puts the chart stylesheet in the document once, so using a chart needs no CSS import. useInsertionEffect runs before
 * layout effects, so the first paint is already styled on the client.
 */
export function useChartStyles(): void {
  useInsertionEffect(() => {
    if (typeof document === 'undefined' || document.getElementById(STYLE_ID)) return;
    const style = document.createElement('style');
    style.id = STYLE_ID;
    style.textContent = chartStyles;
    // First in <head>, so the app's own stylesheets (and their --rtb-* overrides) come later and win ties.
    document.head.prepend(style);
  }, []);
}
