// The playground's live bookings follow the seed's own volume and daily rhythm, and fill the time since the newest
// booking at that pace: the last 24 hours look like the 24 before them.
import { describe, expect, inject, it } from 'vitest';
import { mulberry32 } from '../../src/local/dev/mulberry32';
import { gapTimes, readShape } from '../../scripts/lib/seed-shaped-stream';

const HOUR = 3_600_000;
const hourOf = (t: number) => new Date(t).getUTCHours();

describe('readShape', () => {
  it("reads the seed's bookings per hour from the data (20,000 rows over 30 days: about 28 an hour)", async () => {
    const tb = inject('tinybird');
    const shape = await readShape({ url: tb.url, token: tb.adminToken });
    expect(shape).not.toBeNull();
    const perDay = shape!.perHour.reduce((a, b) => a + b, 0);
    // Other test files append a few rows while this runs: near, not exact.
    expect(perDay).toBeGreaterThan((tb.seedRows / 30) * 0.9);
    expect(perDay).toBeLessThan((tb.seedRows / 30) * 1.1);
    for (const n of shape!.perHour) {
      expect(n).toBeGreaterThan(15);
      expect(n).toBeLessThan(45);
    }
    expect(Date.now() - shape!.newest).toBeLessThan(2 * HOUR);
  });
});

describe('gapTimes', () => {
  // A daily rhythm: quiet nights, busy afternoons.
  const perHour = Array.from({ length: 24 }, (_, h) => 100 + 80 * Math.sin(((h - 9) / 24) * 2 * Math.PI));
  const from = Date.UTC(2026, 10, 20, 10, 30);

  it("fills a day's gap hour by hour at each hour's own pace", () => {
    const times = gapTimes(perHour, from, from + 24 * HOUR, mulberry32(1));
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(perHour.reduce((a, b) => a + b, 0)) - 1);
    expect(times.length).toBeLessThanOrEqual(Math.ceil(perHour.reduce((a, b) => a + b, 0)));
    const counts = Array.from({ length: 24 }, () => 0);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThan(from + 24 * HOUR);
      counts[hourOf(t)]!++;
    }
    // 10:00 is split in two halves (10:30-11:00 first, 10:00-10:30 the next day): each other hour within one booking.
    for (let h = 0; h < 24; h++) if (h !== 10) expect(Math.abs(counts[h]! - perHour[h]!)).toBeLessThanOrEqual(1);
  });

  it('fills at most the last 30 days of a longer gap, and nothing for no gap', () => {
    const flat = Array.from({ length: 24 }, () => 10);
    const times = gapTimes(flat, from - 90 * 24 * HOUR, from, mulberry32(2));
    expect(times).toHaveLength(30 * 24 * 10);
    expect(times[0]).toBeGreaterThanOrEqual(from - 30 * 24 * HOUR);
    expect(gapTimes(flat, from, from, mulberry32(3))).toEqual([]);
  });
});
