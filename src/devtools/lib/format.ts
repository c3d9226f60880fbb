/** Display helpers of the devtools panel: plain functions, no React. */

/** `1.2 KB`, `834 B`, `–` for unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Time until `at` (epoch ms) as `4m 05s` / `12.3s` / `now` once passed; `never` when there is none. */
export function formatCountdown(at: number | null, now: number): string {
  if (at === null) return 'never';
  const ms = at - now;
  if (ms <= 0) return 'now';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours ? `${hours}h ${String(minutes).padStart(2, '0')}m ${rest}s` : `${minutes}m ${rest}s`;
}

/** `HH:MM:SS` in local time, for when something happened. */
export function formatClock(at: number | null): string {
  if (at === null) return '–';
  const date = new Date(at);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `123 ms` / `1.4 s`; `…` while in flight. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '…';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * JWT claims as indented JSON, with `exp`, `iat` and `nbf` followed by their ISO time so a person can read them. Shown
 * in a block that never wraps (scrolls instead), so no word or value is cut.
 */
export function formatClaims(claims: Record<string, unknown> | null): string {
  if (!claims) return 'no token';
  return JSON.stringify(claims, null, 2).replace(
    /^(\s*"(?:exp|iat|nbf)": )(\d+)(,?)$/gm,
    (_, head: string, n: string, comma: string) =>
      `${head}${n}${comma}  // ${new Date(Number(n) * 1000).toISOString()}`,
  );
}
