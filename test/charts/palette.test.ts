import { describe, expect, it } from 'vitest';
import { barListTint, palette } from '../../src/charts/lib/palette';

// WCAG 2.x relative luminance and contrast ratio.
const channel = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
const luminance = ([r, g, b]: [number, number, number]) =>
  0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
const contrast = (a: [number, number, number], b: [number, number, number]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
// color-mix(in srgb, c p%, bg): what a BarList bar looks like behind its label.
const mix = (c: [number, number, number], bg: [number, number, number], p: number) =>
  c.map((v, i) => v * p + bg[i]! * (1 - p)) as [number, number, number];

describe.each(['light', 'dark'] as const)('%s theme meets WCAG AA', (name) => {
  const t = palette[name];
  const bg = rgb(t.bg);

  it.each(['fg', 'muted', 'danger', 'positive', 'negative'] as const)('%s text on the background >= 4.5:1', (key) => {
    expect(contrast(rgb(t[key]), bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('focus ring >= 3:1 (non-text contrast)', () => {
    expect(contrast(rgb(t.accent), bg)).toBeGreaterThanOrEqual(3);
  });

  it.each(t.series.map((c, i) => [i + 1, c] as const))('series %i (%s) >= 3:1 against the background', (_, color) => {
    expect(contrast(rgb(color), bg)).toBeGreaterThanOrEqual(3);
  });

  it('BarList label text on its tinted bar >= 4.5:1', () => {
    for (const s of t.series) expect(contrast(rgb(t.fg), mix(rgb(s), bg, barListTint))).toBeGreaterThanOrEqual(4.5);
  });
});
