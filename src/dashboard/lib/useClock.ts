import { useEffect, useState } from 'react';

const MINUTE = 60_000;

/** The end of the minute holding `t`: rolling ranges reach up to now, and every widget resolves the same instant. */
export const minuteEnd = (t: number): number => Math.floor(t / MINUTE) * MINUTE + MINUTE;

/**
 * The dashboard's clock, in whole minutes: it advances at each minute boundary (so "last hour" rolls and "today" is
 * right after midnight), never frozen at load. Off while `running` is false (a fixed range, a frozen clock).
 * `initial` lets a server-rendered page and its hydration start from the same minute; the first tick catches up.
 */
export function useClock(running: boolean, initial?: number): number {
  const [now, setNow] = useState(() => minuteEnd(initial ?? Date.now()));
  useEffect(() => {
    if (!running) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const t = Date.now();
      setNow(minuteEnd(t));
      timer = setTimeout(tick, minuteEnd(t) - t + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [running]);
  return now;
}
