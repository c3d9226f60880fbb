import { describe, expect, it } from 'vitest';
import { formatBytes, formatClaims, formatClock, formatCountdown, formatDuration } from '../../src/devtools/lib/format';

describe('devtools formatting', () => {
  it('bytes', () => {
    expect([null, 0, 1023, 1536, 5 * 1024 * 1024].map(formatBytes)).toEqual(['–', '0 B', '1023 B', '1.5 KB', '5.0 MB']);
  });

  it('countdowns: seconds with a decimal under a minute, then m/s and h/m/s; `now` once passed', () => {
    const now = 1_000_000;
    expect(formatCountdown(null, now)).toBe('never');
    expect(formatCountdown(now - 1, now)).toBe('now');
    expect(formatCountdown(now + 12_345, now)).toBe('12.3s');
    expect(formatCountdown(now + 245_000, now)).toBe('4m 05s');
    expect(formatCountdown(now + 3_723_000, now)).toBe('1h 02m 03s');
  });

  it('durations and clock times', () => {
    expect([null, 87, 1_460].map(formatDuration)).toEqual(['…', '87 ms', '1.5 s']);
    expect(formatClock(null)).toBe('–');
    expect(formatClock(new Date(2026, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
  });

  it('claims: indented JSON, time claims followed by their ISO time, nothing else touched', () => {
    const text = formatClaims({
      workspace_id: 'ws',
      exp: 1_800_000_000,
      scopes: [{ type: 'PIPES:READ', resource: 'top_airlines', fixed_params: { user_id: 7 } }],
      note: 'exp: 5',
    });
    expect(text).toContain('"exp": 1800000000,  // 2027-01-15T08:00:00.000Z');
    expect(text).toContain('      "resource": "top_airlines",');
    expect(text).toContain('"note": "exp: 5"');
    expect(formatClaims(null)).toBe('no token');
  });
});
