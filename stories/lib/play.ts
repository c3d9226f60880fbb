import { expect, waitFor, within } from 'storybook/test';

// Stories query a real server (and the first query waits for a token): allow more than testing-library's 1 s.
const TIMEOUT = 8_000;

/** Waits (up to `timeout` ms) until the chart in the canvas has drawn its rows, and returns its figure. */
export async function ready(canvas: HTMLElement, timeout = TIMEOUT): Promise<HTMLElement> {
  let figure: HTMLElement | null = null;
  await waitFor(
    () => {
      figure = canvas.querySelector<HTMLElement>('figure.rtb-frame[data-state="ready"]');
      expect(figure, 'a chart in its ready state').not.toBeNull();
    },
    { timeout },
  );
  return figure!;
}

/** Waits until the chart in the canvas says it has no rows. */
export async function empty(canvas: HTMLElement): Promise<void> {
  await within(canvas).findByText('No data for these parameters', {}, { timeout: TIMEOUT });
}

/** Waits until the chart in the canvas shows its error, and returns the alert (message, code and Retry button). */
export async function failed(canvas: HTMLElement): Promise<HTMLElement> {
  return within(canvas).findByRole('alert', {}, { timeout: TIMEOUT });
}

/**
 * The token service failed, so the chart shows TOKEN_FETCH_FAILED with a Retry button: presses it and returns the
 * figure once it has drawn (the flaky service answers the next request).
 */
export async function retriedAfterTokenFailure(canvas: HTMLElement): Promise<HTMLElement> {
  const alert = await failed(canvas);
  expect(alert).toHaveTextContent('TOKEN_FETCH_FAILED');
  within(alert).getByRole('button', { name: 'Retry' }).click();
  return ready(canvas);
}

/** Waits until `selector` matches exactly `n` elements inside `root` (recharts draws after a layout pass). */
export async function expectCount(root: Element, selector: string, n: number, timeout = TIMEOUT): Promise<void> {
  await waitFor(() => expect(root.querySelectorAll(selector)).toHaveLength(n), { timeout });
}

/**
 * The visually hidden parts of a chart (its data table for screen readers) take no room: the page ends with the chart,
 * not hundreds of pixels of invisible rows below it.
 */
export function expectNoHiddenHeight(figure: HTMLElement): void {
  for (const hidden of figure.querySelectorAll('.rtb-sr-only')) {
    expect(hidden.getBoundingClientRect().height, 'a visually hidden element').toBeLessThanOrEqual(1);
  }
  const pageBottom = document.documentElement.scrollHeight;
  const chartBottom = figure.getBoundingClientRect().bottom + window.scrollY;
  expect(pageBottom, 'page height').toBeLessThanOrEqual(Math.max(window.innerHeight, chartBottom + 64));
}
