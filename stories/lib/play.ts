import { expect, waitFor } from 'storybook/test';

/** Waits (up to `timeout` ms) until the chart in the canvas has drawn its rows, and returns its figure. */
export async function ready(canvas: HTMLElement, timeout = 8_000): Promise<HTMLElement> {
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

/** Waits until `selector` matches exactly `n` elements inside `root` (recharts draws after a layout pass). */
export async function expectCount(root: Element, selector: string, n: number, timeout = 8_000): Promise<void> {
  await waitFor(() => expect(root.querySelectorAll(selector)).toHaveLength(n), { timeout });
}
