import { barListTint, palette, type ThemeColors } from './lib/palette';

const vars = (c: ThemeColors): string =>
  [
    `--rtb-bg:${c.bg}`,
    `--rtb-fg:${c.fg}`,
    `--rtb-muted:${c.muted}`,
    `--rtb-border:${c.border}`,
    `--rtb-grid:${c.grid}`,
    `--rtb-skeleton:${c.skeleton}`,
    `--rtb-accent:${c.accent}`,
    `--rtb-danger:${c.danger}`,
    `--rtb-positive:${c.positive}`,
    `--rtb-negative:${c.negative}`,
    ...c.series.map((s, i) => `--rtb-series-${i + 1}:${s}`),
    `color-scheme:${c === palette.dark ? 'dark' : 'light'}`,
  ].join(';');

const light = vars(palette.light);
const dark = vars(palette.dark);
const tint = `${Math.round(barListTint * 100)}%`;

/**
 * The stylesheet every chart injects once (into `document.head`, id `rtb-styles`). Defaults sit in `:where()` so any rule
 * of yours wins: set `--rtb-*` variables on `.rtb-frame` (or pass `className`) to theme the charts.
 *
 * Dark mode: `theme="dark"` on a chart, or (with the default `theme="auto"`) a `.dark` class or `data-theme="dark"` on an
 * ancestor, or the OS preference. Render `<style>{chartStyles}</style>` in your server layout to avoid a flash of
 * unstyled charts before hydration.
 *
 * @example
 * ```css
 * .rtb-frame { --rtb-series-1: #7c3aed; --rtb-radius: 4px; }
 * ```
 */
export const chartStyles = `
:where(.rtb-frame){${light};--rtb-radius:12px;--rtb-font:inherit;box-sizing:border-box;margin:0;padding:16px;border:1px solid var(--rtb-border);border-radius:var(--rtb-radius);background:var(--rtb-bg);color:var(--rtb-fg);font-family:var(--rtb-font);font-size:14px;line-height:1.4;min-width:0;position:relative}
:where(.rtb-frame[data-theme=dark]){${dark}}
@media (prefers-color-scheme:dark){:where(.rtb-frame[data-theme=auto]){${dark}}}
:where(.light,[data-theme=light]) :where(.rtb-frame[data-theme=auto]){${light}}
:where(.dark,[data-theme=dark]) :where(.rtb-frame[data-theme=auto]){${dark}}
:where(.rtb-frame *){box-sizing:border-box}
:where(.rtb-header){margin:0 0 12px}
:where(.rtb-title){font-weight:600;font-size:15px;margin:0}
:where(.rtb-description){color:var(--rtb-muted);margin:2px 0 0;font-size:13px}
:where(.rtb-body){position:relative;min-width:0}
:where(.rtb-footer){display:flex;gap:8px;justify-content:flex-end;align-items:center;margin-top:8px;color:var(--rtb-muted);font-size:12px;font-variant-numeric:tabular-nums}
:where(.rtb-export){font:inherit;color:inherit;background:none;border:1px solid var(--rtb-grid);border-radius:4px;padding:1px 6px;cursor:pointer}
:where(.rtb-fetching){position:absolute;top:12px;right:12px;width:6px;height:6px;border-radius:50%;background:var(--rtb-accent);opacity:.8}
:where(.rtb-sr-only){position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
:where(.rtb-state){display:flex;flex-direction:column;align-items:center;justify-content:center;gap:10px;text-align:center;color:var(--rtb-muted);padding:16px}
:where(.rtb-error){color:var(--rtb-danger)}
:where(.rtb-error-code){font-family:ui-monospace,monospace;font-size:12px;color:var(--rtb-muted)}
:where(.rtb-button){font:inherit;font-size:13px;padding:6px 14px;border-radius:8px;border:1px solid var(--rtb-border);background:var(--rtb-bg);color:var(--rtb-fg);cursor:pointer}
:where(.rtb-button:hover){border-color:var(--rtb-muted)}
:where(.rtb-frame) :focus-visible{outline:2px solid var(--rtb-accent);outline-offset:2px}
:where(.rtb-skeleton){display:flex;gap:8px;align-items:flex-end;height:100%;width:100%;padding:8px 0}
:where(.rtb-skeleton-block){background:var(--rtb-skeleton);border-radius:4px;animation:rtb-pulse 1.4s ease-in-out infinite}
@keyframes rtb-pulse{50%{opacity:.45}}
@media (prefers-reduced-motion:reduce){:where(.rtb-skeleton-block){animation:none}}
:where(.rtb-legend){display:flex;flex-wrap:wrap;gap:4px 12px;list-style:none;margin:8px 0 0;padding:0;font-size:13px}
:where(.rtb-legend-item){display:inline-flex;align-items:center;gap:6px;font:inherit;color:var(--rtb-fg);background:none;border:0;padding:2px 4px;border-radius:4px;cursor:pointer}
:where(.rtb-legend-item[aria-pressed=false]){color:var(--rtb-muted);text-decoration:line-through}
:where(.rtb-legend[data-mode=choose] .rtb-legend-item[aria-pressed=false]){text-decoration:none}
:where(.rtb-legend[data-mode=choose] .rtb-legend-item[aria-pressed=true]){font-weight:600}
:where(.rtb-swatch){width:10px;height:10px;border-radius:3px;flex:none}
:where(.rtb-tooltip){background:var(--rtb-bg);color:var(--rtb-fg);border:1px solid var(--rtb-border);border-radius:8px;padding:8px 10px;font-size:13px;box-shadow:0 4px 12px rgb(0 0 0/.12)}
:where(.rtb-tooltip-row){display:flex;align-items:center;gap:6px}
:where(.rtb-tooltip-value){margin-left:auto;padding-left:12px;font-variant-numeric:tabular-nums;font-weight:600}
:where(.rtb-chart svg){overflow:visible}
:where(.rtb-chart .recharts-cartesian-axis-tick-value){fill:var(--rtb-muted);font-size:12px}
:where(.rtb-chart .recharts-surface:focus){outline:none}
:where(.rtb-barlist){list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
:where(.rtb-barlist-row){display:flex;align-items:center;gap:12px;width:100%;font:inherit;color:inherit;background:none;border:0;padding:0;text-align:left}
:where(button.rtb-barlist-row){cursor:pointer}
:where(.rtb-barlist-bar){flex:1;position:relative;min-width:0;height:30px;display:flex;align-items:center}
:where(.rtb-barlist-fill){position:absolute;inset:0 auto 0 0;border-radius:6px;background:color-mix(in srgb,var(--rtb-series-1) ${tint},var(--rtb-bg))}
:where(.rtb-barlist-label){position:relative;padding:0 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
:where(.rtb-barlist-value){font-variant-numeric:tabular-nums;font-weight:600;min-width:4ch;text-align:right}
:where(.rtb-table-wrap){overflow:auto;max-height:inherit}
:where(.rtb-table){width:100%;border-collapse:collapse;font-size:13px}
:where(.rtb-table th){text-align:left;font-weight:600;color:var(--rtb-muted);border-bottom:1px solid var(--rtb-border);padding:6px 8px;position:sticky;top:0;background:var(--rtb-bg)}
:where(.rtb-table td){border-bottom:1px solid var(--rtb-border);padding:6px 8px}
:where(.rtb-table .rtb-num){text-align:right;font-variant-numeric:tabular-nums}
:where(.rtb-table tr[tabindex]){cursor:pointer}
:where(.rtb-table tr[tabindex]:hover){background:color-mix(in srgb,var(--rtb-series-1) 8%,var(--rtb-bg))}
:where(.rtb-metric){display:flex;flex-direction:column;gap:6px}
:where(.rtb-metric-value){font-size:32px;font-weight:650;letter-spacing:-.02em;font-variant-numeric:tabular-nums;line-height:1.1}
:where(.rtb-delta){display:inline-flex;align-items:center;gap:4px;font-size:13px;font-weight:600;font-variant-numeric:tabular-nums}
:where(.rtb-delta[data-trend=good]){color:var(--rtb-positive)}
:where(.rtb-delta[data-trend=bad]){color:var(--rtb-negative)}
:where(.rtb-delta[data-trend=flat]){color:var(--rtb-muted)}
`.trim();
