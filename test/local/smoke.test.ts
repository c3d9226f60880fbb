import { describe, expect, inject, it } from 'vitest';

describe('local server', () => {
  it('serves the seeded demo project', async () => {
    const tb = inject('tinybird');
    const res = await fetch(`${tb.url}/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM events')}`, {
      headers: { Authorization: `Bearer ${tb.adminToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ n: number }> };
    expect(body.data[0]?.n).toBeGreaterThanOrEqual(tb.seedRows);
  });
});
