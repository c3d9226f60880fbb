/** Tick steps a reader can add up in their head: 1, 2, 2.5 and 5 times a power of ten. */
const MANTISSAS = [1, 2, 2.5, 5, 10];

/** The smallest nice step that covers `span` in at most `count` intervals. */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = MANTISSAS.find((m) => m * power >= raw * (1 - 1e-9)) ?? 10;
  return mantissa * power;
}

/**
 * Value-axis ticks on round numbers (0, 10K, 20K, 30K rather than 0, 9.5K, 19K, 28.5K): evenly spaced by a nice step,
 * from a multiple of it at or below `min` to one at or above `max`. Zero is always in range, so bars and areas start
 * from the axis. The first and last ticks are the axis domain.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  let lo = Math.min(0, Number.isFinite(min) ? min : 0);
  let hi = Math.max(0, Number.isFinite(max) ? max : 0);
  if (lo === hi) hi = lo + 1;
  const step = niceStep(hi - lo, count);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  // Steps like 0.25 or 2.5e-7 drift when added up: round every tick to the step's own precision.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(Number((lo + i * step).toFixed(decimals)));
  return ticks;
}
