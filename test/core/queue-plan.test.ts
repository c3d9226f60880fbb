// The event queue's decisions, as pure functions: no timers, no HTTP, no storage.
import { describe, expect, it } from 'vitest';
import { fitStorage, nextBatch, splitKeepalive, takeBatch } from '../../src/core/internal/queue-plan';
import type { Entry } from '../../src/core/internal/queue-plan';
import { formatEntry, parseEntry } from '../../src/core/event-store';

let seq = 0;
const entry = (bytes: number, flags: Partial<Entry> = {}): Entry => ({
  seq: ++seq,
  line: 'x'.repeat(bytes),
  bytes,
  ...flags,
});
const entries = (n: number, bytes = 9) => Array.from({ length: n }, () => entry(bytes));

describe('batch selection', () => {
  it('takes the oldest unsent rows within the row limit; full when more wait', () => {
    const queue = entries(5);
    expect(takeBatch(queue, 3, Infinity)).toEqual({ batch: queue.slice(0, 3), full: true });
    expect(takeBatch(queue, 10, Infinity)).toEqual({ batch: queue, full: false });
    expect(takeBatch(queue, 5, Infinity).full).toBe(true);
  });

  it('counts a newline per row against the byte limit; exactly at it is full', () => {
    const queue = entries(4, 9); // 10 bytes each on the wire
    expect(takeBatch(queue, 100, 25)).toEqual({ batch: queue.slice(0, 2), full: true });
    expect(takeBatch(queue, 100, 40)).toEqual({ batch: queue, full: true });
    expect(takeBatch(queue, 100, 41)).toEqual({ batch: queue, full: false });
  });

  it('skips rows already on their way', () => {
    const queue = [entry(9, { sending: true }), entry(9), entry(9, { sending: true }), entry(9)];
    expect(takeBatch(queue, 10, Infinity).batch).toEqual([queue[1], queue[3]]);
  });

  it('sends a row larger than the byte limit alone rather than never', () => {
    const queue = [entry(5_000), entry(9)];
    expect(nextBatch(queue, 100, 1_000)).toEqual([queue[0]]);
    expect(nextBatch([], 100, 1_000)).toEqual([]);
  });
});

describe('keepalive budget split', () => {
  it('gives each data source in turn the oldest rows that fit what is left', () => {
    const a = entries(5, 9); // 50 bytes
    const b = entries(5, 9);
    const [first, second] = splitKeepalive(
      [
        { entries: a, backingOff: false },
        { entries: b, backingOff: false },
      ],
      70,
    );
    expect(first).toEqual(a);
    expect(second).toEqual(b.slice(0, 2));
  });

  it('counts rows already in flight with keepalive, and skips a data source waiting out a backoff', () => {
    const inFlight = [entry(29, { keepalive: true, sending: true })]; // 30 bytes of the budget
    const waiting = entries(2);
    const fresh = entries(5);
    const [x, y, z] = splitKeepalive(
      [
        { entries: inFlight, backingOff: false },
        { entries: waiting, backingOff: true },
        { entries: fresh, backingOff: false },
      ],
      60,
    );
    expect([x, y]).toEqual([[], []]);
    expect(z).toEqual(fresh.slice(0, 3));
  });
});

describe('storage caps', () => {
  const queued = entries(10, 10);
  it('without eviction keeps the oldest rows (sent first anyway) and leaves the rest over', () => {
    const { kept, over } = fitStorage(queued, 0, 0, 4, Infinity, false);
    expect(kept).toEqual(queued.slice(0, 4));
    expect(over).toEqual(queued.slice(4));
  });

  it('with eviction keeps the newest and evicts the oldest', () => {
    const { kept, over } = fitStorage(queued, 0, 0, 4, Infinity, true);
    expect(kept).toEqual(queued.slice(6));
    expect(over).toEqual(queued.slice(0, 6));
  });

  it('failed rows are stored first and count against both caps', () => {
    expect(fitStorage(queued, 3, 0, 4, Infinity, false).kept).toHaveLength(1);
    expect(fitStorage(queued, 0, 75, 100, 100, false).kept).toHaveLength(2);
    expect(fitStorage(queued, 0, 0, 100, 35, true).kept).toEqual(queued.slice(7));
  });
});

describe('stored entry format', () => {
  it('round-trips rows without escaping their lines twice, and refuses what is not an entry', () => {
    const text = formatEntry(
      [
        ['events', '{"id":1,"s":"a\\"b"}'],
        ['clicks', '{"x":2}'],
      ],
      true,
    );
    expect(text).toBe('{"closed":true,"rows":[["events",{"id":1,"s":"a\\"b"}],["clicks",{"x":2}]]}');
    expect(parseEntry(text)).toEqual({
      closed: true,
      rows: [
        ['events', '{"id":1,"s":"a\\"b"}'],
        ['clicks', '{"x":2}'],
      ],
    });
    expect(parseEntry('not json')).toBeUndefined();
    expect(parseEntry(null)).toBeUndefined();
  });
});
