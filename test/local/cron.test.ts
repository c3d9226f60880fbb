// COPY_SCHEDULE cron expressions (UTC) and which copy pipes are due in a given minute.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dueCopies, scheduleCopies } from '../../src/local/dev/copy-scheduler';
import { parseCron } from '../../src/local/project/cron';
import { parsePipe } from '../../src/local/project';

const at = (iso: string) => new Date(`${iso}Z`);
const minutesOfDay = (expression: string, day = '2024-01-01') => {
  const schedule = parseCron(expression);
  const hits: string[] = [];
  for (let m = 0; m < 24 * 60; m++) {
    const date = new Date(at(`${day}T00:00:00`).getTime() + m * 60_000);
    if (schedule(date)) hits.push(date.toISOString().slice(11, 16));
  }
  return hits;
};

describe('parseCron', () => {
  it('reads steps, ranges, lists and macros, in UTC', () => {
    expect(minutesOfDay('*/15 9 * * *')).toEqual(['09:00', '09:15', '09:30', '09:45']);
    expect(minutesOfDay('0 8-10,22 * * *')).toEqual(['08:00', '09:00', '10:00', '22:00']);
    expect(minutesOfDay('5/20 0 * * *')).toEqual(['00:05', '00:25', '00:45']);
    expect(minutesOfDay('@hourly')).toHaveLength(24);
    expect(minutesOfDay('@daily')).toEqual(['00:00']);
    expect(minutesOfDay('* * * * *')).toHaveLength(1440);
  });

  it('matches days of month and week (7 is Sunday; when both are set, either one)', () => {
    // 2024-01-07 is a Sunday, 2024-01-01 a Monday.
    expect(parseCron('0 0 * * 7')(at('2024-01-07T00:00:00'))).toBe(true);
    expect(parseCron('0 0 * * 0')(at('2024-01-07T00:00:00'))).toBe(true);
    expect(parseCron('0 0 * * 0')(at('2024-01-01T00:00:00'))).toBe(false);
    expect(parseCron('0 0 15 * 1')(at('2024-01-01T00:00:00'))).toBe(true); // a Monday, not the 15th
    expect(parseCron('0 0 15 * *')(at('2024-01-01T00:00:00'))).toBe(false);
    expect(parseCron('0 0 1 2 *')(at('2024-01-01T00:00:00'))).toBe(false); // February only
  });

  it.each([
    ['* * * *', /expected 5 fields/],
    ['60 * * * *', /minute "60": out of range/],
    ['* 5-2 * * *', /hour "5-2": out of range/],
    ['*/0 * * * *', /a step must be 1 or more/],
    ['* * * jan *', /month "jan": expected/],
  ])('refuses %j', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('dueCopies', () => {
  const copy = (name: string, schedule?: string) =>
    parsePipe(
      `NODE n\nSQL >\n    SELECT 1 AS x\nTYPE COPY\nTARGET_DATASOURCE t\n${schedule ? `COPY_SCHEDULE ${schedule}\n` : ''}`,
      `${name}.pipe`,
    ).value;

  it('picks the copy pipes scheduled for that minute, never @on-demand ones or other pipes', () => {
    const pipes = [
      copy('hourly', '0 * * * *'),
      copy('quarter', '*/15 * * * *'),
      copy('manual'),
      copy('manual2', '@on-demand'),
      parsePipe('NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\n', 'e.pipe').value,
    ];
    expect(dueCopies(pipes, at('2024-01-01T10:00:00')).map((p) => p.name)).toEqual(['hourly', 'quarter']);
    expect(dueCopies(pipes, at('2024-01-01T10:15:00')).map((p) => p.name)).toEqual(['quarter']);
    expect(dueCopies(pipes, at('2024-01-01T10:16:00'))).toEqual([]);
  });
});

describe('scheduleCopies', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the due pipes at the start of each minute, one at a time, until stopped', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(at('2024-01-01T09:58:30'));
    const pipes = [
      parsePipe(
        'NODE n\nSQL >\n    SELECT 1\nTYPE COPY\nTARGET_DATASOURCE t\nCOPY_SCHEDULE "0 * * * *"\n',
        'hourly.pipe',
      ).value,
      parsePipe(
        'NODE n\nSQL >\n    SELECT 1\nTYPE COPY\nTARGET_DATASOURCE t\nCOPY_SCHEDULE "* * * * *"\n',
        'minutely.pipe',
      ).value,
    ];
    const runs: string[] = [];
    let running = 0;
    const stop = scheduleCopies(
      () => pipes,
      async (pipe) => {
        expect(running++).toBe(0);
        runs.push(`${new Date().toISOString().slice(11, 16)} ${pipe.name}`);
        await new Promise((r) => setTimeout(r, 5_000)); // a slow copy: the next one waits for it
        running--;
      },
    );
    await vi.advanceTimersByTimeAsync(60_000 + 30_000 + 15_000);
    expect(runs).toEqual(['09:59 minutely', '10:00 hourly', '10:00 minutely']);
    stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(3);
  });
});
