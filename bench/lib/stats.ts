/** Nearest-rank percentile of a sample (p in 0..100). Sorting a copy keeps the caller's order intact. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

export function summarize(sampleMs: readonly number[]): LatencySummary {
  const mean = sampleMs.reduce((sum, x) => sum + x, 0) / (sampleMs.length || 1);
  return { n: sampleMs.length, p50: percentile(sampleMs, 50), p99: percentile(sampleMs, 99), mean };
}

/** `ours / theirs` as "0.42×"; the direction (smaller is better or not) is stated by the column header. */
export function ratio(ours: number, theirs: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return 'n/a';
  return `${(ours / theirs).toFixed(2)}×`;
}

export function ms(value: number, digits = 2): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

export function kb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a';
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}
