/**
 * Epoch ms for a number that may be unix seconds: below 1e11 it is seconds (JWT style; 1e11 ms is in 1973, 1e11 s in
 * the year 5138), from there on milliseconds.
 */
export const secondsOrMs = (value: number): number => (value < 1e11 ? value * 1000 : value);
