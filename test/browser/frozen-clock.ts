// The instant the story tests treat as "now". Their data server is seeded up to it, and every time window the stories
// read ends at it, so a screenshot taken today matches one taken next month, at any hour.
export const FROZEN_NOW = '2026-11-18 14:00:00';

/** FROZEN_NOW moved by `hours`, as a Tinybird DateTime ('YYYY-MM-DD hh:mm:ss', UTC). */
export function frozenPlus(hours: number): string {
  const t = Date.parse(`${FROZEN_NOW.replace(' ', 'T')}Z`) + hours * 3_600_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The windows a pipe reads when the caller does not say: what its SQL would compute from now() at FROZEN_NOW
 * (bookings_per_hour: the 24 whole hours before it; kpis: the days before it; top_airlines: everything before it, so
 * rows a story appends at today's time stay out of the other stories' pictures).
 */
export const FROZEN_WINDOWS: Record<string, Record<string, string>> = {
  bookings_per_hour: { start: frozenPlus(-24), end: FROZEN_NOW },
  kpis: { end: FROZEN_NOW },
  top_airlines: { end: FROZEN_NOW },
};
