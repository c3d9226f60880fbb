// Cron expressions for copy pipes' COPY_SCHEDULE: the five standard fields, evaluated in UTC as Tinybird does.

/** A parsed schedule: whether a given minute is one it runs in. */
export type CronSchedule = (date: Date) => boolean;

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Parses `*`, numbers, ranges (`1-5`), steps (`*\/15`, `0-30/10`) and lists (`0,30`) in each of the five fields, and the
 * `@hourly`-style macros. Throws an Error that names the field and what is wrong.
 *
 * @example
 * parseCron('*\/15 * * * *')(new Date('2024-01-01T10:30:00Z')) // true
 */
export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`"${expression}" is not a cron expression: expected 5 fields (minute hour day month weekday)`);
  const [minute, hour, day, month, weekday] = parts.map((part, i) => parseField(part, FIELDS[i]!)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekday.has(7)) weekday.add(0); // 7 is Sunday too
  // Standard cron: when both day fields are restricted, a day matching either one runs.
  const dayRestricted = parts[2] !== '*';
  const weekdayRestricted = parts[4] !== '*';
  return (date) => {
    const dayOk = day.has(date.getUTCDate());
    const weekdayOk = weekday.has(date.getUTCDay());
    const days = dayRestricted && weekdayRestricted ? dayOk || weekdayOk : dayOk && weekdayOk;
    return (
      minute.has(date.getUTCMinutes()) && hour.has(date.getUTCHours()) && month.has(date.getUTCMonth() + 1) && days
    );
  };
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  const bad = (why: string) => new Error(`cron ${field.name} "${text}": ${why} (allowed ${field.min}-${field.max})`);
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw bad('expected *, a number, a range a-b, a step /n, or a list of them');
    const [, all, from, to, step] = match;
    const start = all === '*' ? field.min : Number(from);
    const end = all === '*' ? field.max : to !== undefined ? Number(to) : step !== undefined ? field.max : start;
    const every = step === undefined ? 1 : Number(step);
    if (start < field.min || end > field.max || start > end) throw bad('out of range');
    if (every < 1) throw bad('a step must be 1 or more');
    for (let value = start; value <= end; value += every) values.add(value);
  }
  return values;
}
