// Every selector starts with .rtbd-, under the panel's own root: nothing leaks into the page, and the page's rules reach
// in only through inherited font and the data-theme / .dark ancestors it already uses for the charts.
const light =
  '--rtbd-bg:#ffffff;--rtbd-fg:#0f172a;--rtbd-muted:#475569;--rtbd-border:#cbd5e1;--rtbd-accent:#1d4ed8;--rtbd-danger:#b91c1c;--rtbd-ok:#15803d;--rtbd-stripe:#f1f5f9;color-scheme:light';
const dark =
  '--rtbd-bg:#0f172a;--rtbd-fg:#f1f5f9;--rtbd-muted:#94a3b8;--rtbd-border:#334155;--rtbd-accent:#93c5fd;--rtbd-danger:#fca5a5;--rtbd-ok:#4ade80;--rtbd-stripe:#1e293b;color-scheme:dark';

export const styles = `
.rtbd-root{${light}}
.rtbd-root[data-theme=dark]{${dark}}
@media (prefers-color-scheme:dark){.rtbd-root[data-theme=auto]{${dark}}}
.light .rtbd-root[data-theme=auto],[data-theme=light] .rtbd-root[data-theme=auto]{${light}}
.dark .rtbd-root[data-theme=auto],[data-theme=dark] .rtbd-root[data-theme=auto]{${dark}}
.rtbd-root,.rtbd-root *{box-sizing:border-box}
.rtbd-toggle{position:fixed;right:12px;bottom:12px;z-index:2147483000;font:600 12px/1 system-ui,sans-serif;padding:8px 12px;border-radius:999px;border:1px solid var(--rtbd-border);background:var(--rtbd-bg);color:var(--rtbd-fg);cursor:pointer;box-shadow:0 2px 8px rgb(0 0 0/.15)}
.rtbd-toggle[aria-expanded=true]{bottom:calc(45vh + 12px)}
.rtbd-dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:var(--rtbd-muted)}
.rtbd-dot[data-status=ready]{background:var(--rtbd-ok)}
.rtbd-dot[data-status=error]{background:var(--rtbd-danger)}
.rtbd-panel{position:fixed;left:0;right:0;bottom:0;height:45vh;z-index:2147483000;overflow:auto;padding:12px 16px;border-top:1px solid var(--rtbd-border);background:var(--rtbd-bg);color:var(--rtbd-fg);font:12px/1.45 system-ui,sans-serif;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(min(100%,380px),1fr));align-content:start}
.rtbd-panel :focus-visible{outline:2px solid var(--rtbd-accent);outline-offset:1px}
.rtbd-section{min-width:0}
.rtbd-bar{display:flex;align-items:center;gap:8px;margin:0 0 6px}
.rtbd-bar .rtbd-button{margin-left:auto}
.rtbd-heading{margin:0;font-size:13px;font-weight:600}
.rtbd-button{font:inherit;font-size:11px;padding:2px 8px;border-radius:6px;border:1px solid var(--rtbd-border);background:var(--rtbd-bg);color:var(--rtbd-fg);cursor:pointer}
.rtbd-button:hover{border-color:var(--rtbd-muted)}
.rtbd-button:disabled{opacity:.5;cursor:default}
.rtbd-facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:0 0 8px}
.rtbd-facts dt{color:var(--rtbd-muted)}
.rtbd-facts dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.rtbd-claims{margin:0;padding:8px;max-height:220px;overflow:auto;white-space:pre;word-break:normal;overflow-wrap:normal;font:11px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--rtbd-stripe);border-radius:6px}
.rtbd-scroll{overflow:auto;max-height:calc(45vh - 80px)}
.rtbd-table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
.rtbd-table th,.rtbd-table td{text-align:left;padding:2px 8px 2px 0;border-bottom:1px solid var(--rtbd-stripe);white-space:nowrap;vertical-align:top}
.rtbd-table th{color:var(--rtbd-muted);font-weight:500;position:sticky;top:0;background:var(--rtbd-bg)}
.rtbd-name{max-width:220px;overflow:hidden;text-overflow:ellipsis;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.rtbd-bad{color:var(--rtbd-danger)}
.rtbd-good{color:var(--rtbd-ok)}
.rtbd-muted{color:var(--rtbd-muted);margin:0}
.rtbd-error{color:var(--rtbd-danger);overflow-wrap:anywhere}
`;
