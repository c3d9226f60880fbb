// Runs copy pipes on their COPY_SCHEDULE while the local server is up.
import { parseCron } from '../project/cron';
import type { Pipe } from '../project/datafiles';

/**
 * The copy pipes whose COPY_SCHEDULE (a cron expression, UTC) includes the minute of `at`; `@on-demand` ones never are.
 *
 * @example
 * dueCopies(project.pipes.values(), new Date('2024-01-01T10:00:00Z')) // pipes scheduled '0 * * * *', '@hourly'...
 */
export function dueCopies(pipes: Iterable<Pipe>, at: Date): Pipe[] {
  return [...pipes].filter(
    (pipe) => pipe.copy && pipe.copy.schedule.toLowerCase() !== '@on-demand' && parseCron(pipe.copy.schedule)(at),
  );
}

/**
 * At the start of every UTC minute, runs the copy pipes due then, one after another (`pipes` is read each minute, so a
 * reloaded project applies). Returns the function that stops it.
 *
 * @example
 * const stop = scheduleCopies(() => project.pipes.values(), (pipe) => engine.copy(pipe, {}).then(() => undefined));
 */
export function scheduleCopies(pipes: () => Iterable<Pipe>, run: (pipe: Pipe) => Promise<void>): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = () => {
    // A little past the minute, so a timer that fires early still lands in it.
    if (!stopped) timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 100);
  };
  const tick = async () => {
    for (const pipe of dueCopies(pipes(), new Date())) await run(pipe);
    next();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
