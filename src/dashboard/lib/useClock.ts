import { useEffect, useState } from 'react';
import { minuteEnd } from './dashboard-params';

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
