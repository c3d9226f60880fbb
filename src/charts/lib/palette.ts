/**
 * Colours for both themes. Chosen for WCAG AA on their own background: text colours >= 4.5:1, series colours >= 3:1
 * (non-text contrast); test/charts/palette.test.ts checks every pair, so a change that breaks AA fails the build.
 */
export const palette = {
  light: {
    bg: '#ffffff',
    fg: '#0f172a',
    muted: '#475569',
    border: '#e2e8f0',
    grid: '#e2e8f0',
    skeleton: '#e2e8f0',
    accent: '#1d4ed8',
    danger: '#b91c1c',
    positive: '#15803d',
    negative: '#b91c1c',
    series: ['#2563eb', '#c2410c', '#0f766e', '#7c3aed', '#be185d', '#4d7c0f', '#b45309', '#475569'],
  },
  dark: {
    bg: '#0f172a',
    fg: '#f1f5f9',
    muted: '#94a3b8',
    border: '#334155',
    grid: '#1e293b',
    skeleton: '#1e293b',
    accent: '#93c5fd',
    danger: '#fca5a5',
    positive: '#4ade80',
    negative: '#fca5a5',
    series: ['#60a5fa', '#fb923c', '#2dd4bf', '#a78bfa', '#f472b6', '#a3e635', '#fbbf24', '#94a3b8'],
  },
} as const;

export type ThemeColors = (typeof palette)['light'] | (typeof palette)['dark'];

/** How much of the series colour tints a BarList bar behind its label (text on it must stay AA). */
export const barListTint = 0.22;

/** The colour of series i: the caller's list, else the themed CSS variable (so a theme switch needs no re-render). */
export function seriesColor(i: number, colors?: readonly string[]): string {
  if (colors && colors.length > 0) return colors[i % colors.length]!;
  return `var(--rtb-series-${(i % palette.light.series.length) + 1})`;
}
