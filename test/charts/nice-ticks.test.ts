import { describe, expect, it } from 'vitest';
import { niceStep, niceTicks } from '../../src/charts/lib/niceTicks';

/** The step's leading digits: 1, 2, 2.5 or 5 for a nice step. */
const mantissa = (step: number) => Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));

describe('niceTicks', () => {
  it('rounds the axes that used to read 9.5K / 19K / 28.5K and €85K / €170K / €255K', () => {
    expect(niceTicks(0, 37_900)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(niceTicks(0, 254_000)).toEqual([0, 100_000, 200_000, 300_000]);
    expect(niceTicks(0, 1180)).toEqual([0, 250, 500, 750, 1000, 1250]);
  });

  it('keeps zero in range and goes below it for negative values', () => {
    expect(niceTicks(120, 180)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(-30, 70)).toEqual([-40, -20, 0, 20, 40, 60, 80]);
    expect(niceTicks(-5, -1)).toEqual([-5, -4, -3, -2, -1, 0]);
  });

  it('gives an axis to empty and flat data', () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(Number.NaN, Number.NaN)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('has no floating-point dust in small steps', () => {
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0, 0.0011)).toEqual([0, 0.00025, 0.0005, 0.00075, 0.001, 0.00125]);
  });

  it('always covers the data with 1, 2, 2.5 or 5 x 10^n steps and few ticks', () => {
    for (let i = 0; i < 500; i++) {
      const scale = 10 ** Math.floor(Math.random() * 12 - 4);
      const a = (Math.random() - 0.3) * scale;
      const b = a + Math.random() * scale;
      const ticks = niceTicks(a, b);
      const step = ticks[1]! - ticks[0]!;
      expect([1, 2, 2.5, 5]).toContain(mantissa(step));
      expect(ticks[0]).toBeLessThanOrEqual(Math.min(0, a));
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(Math.max(0, b));
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(7);
      expect(ticks).toContain(0);
    }
  });

  it('niceStep picks the smallest nice step that fits the count', () => {
    expect(niceStep(38_000, 4)).toBe(10_000);
    expect(niceStep(9, 4)).toBe(2.5);
    expect(niceStep(0)).toBe(1);
  });
});
