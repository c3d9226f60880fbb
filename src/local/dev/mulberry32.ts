/**
 * A small seeded PRNG (mulberry32): seeded data, the live event stream and injected benchmark failures are reproducible.
 *
 * @example
 * ```ts
 * const random = mulberry32(42);
 * random(); // the same sequence in [0, 1) every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
