import { TinybirdConfigError } from './errors';

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/**
 * Seconds in a duration: a number of seconds, or a string with a unit ('30s', '10m', '1h', '1 day').
 * A bare numeric string is refused: '600' reads as seconds to some people and milliseconds to others.
 */
export function parseDuration(value: number | string, option: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TinybirdConfigError('INVALID_LIFETIME', `\`${option}\` must be a finite number of seconds.`);
    return value;
  }
  const match = typeof value === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value) : null;
  const unit = match?.[2] ? UNIT_SECONDS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new TinybirdConfigError(
      'INVALID_LIFETIME',
      `\`${option}\` must be a number of seconds or a string with a unit such as '30s', '10m', '1h', '1d' (got ${JSON.stringify(value)}).`,
    );
  }
  return Number(match[1]) * unit;
}
