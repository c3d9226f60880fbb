// Params shared by the server's prefetch and the browser's queries: the same pipe and params give the same cache entry.
export const TOP_AIRLINES = { limit: 8 };
export const MY_BOOKINGS = { limit: 10 };
/** How often the browser polls for new rows. */
export const POLL_MS = 5_000;
