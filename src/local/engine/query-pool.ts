// Read queries run on a few chDB sessions of the same data directory, each one query at a time. Callers (one per
// token name) are served in turn, and no caller may hold every session: with two or more, one is always left for the
// others, so one caller's slow queries (however many) never make another caller wait behind them. Each caller may have
// only so many queries waiting or running: past that, a 429 at once instead of an ever longer queue.
import type { Session } from 'chdb';
import { DOC, HttpError } from '../errors';

/**
 * One chDB session, one query at a time (chDB runs a session's queries one after another anyway). After a query fails,
 * chDB keeps what it had already written (a JSON header, whole blocks of rows) and puts it in front of the session's
 * next result, which may be another token's answer: so a failure is followed, before anything else runs on the
 * session, by a throwaway query that takes that output away.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly session: Session) {}

  run<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      try {
        return await work(this.session);
      } catch (error) {
        await this.session.queryAsync('SELECT 1', { format: 'TSV' }).catch(() => undefined);
        throw error;
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Job {
  work: (session: Session) => Promise<unknown>;
  done: (value: unknown) => void;
  fail: (error: unknown) => void;
}

export interface QueryPoolOptions {
  /** Sessions opened (on first need) to run queries side by side. */
  size: number;
  /** Queries one caller may have waiting or running at once. */
  perCaller: number;
  /** Queries that may wait in all, whoever sent them. */
  waiting: number;
}

/**
 * Lanes shared fairly between callers: the next free lane goes to the next caller in turn that has a query waiting and
 * holds fewer than `size - 1` lanes (one lane is never shared: it runs anybody's queries one after another).
 */
export class QueryPool {
  private readonly lanes: Lane[] = [];
  private readonly idle: Lane[] = [];
  /** Waiting queries by caller; a Map keeps the callers in the order they came, for the round robin. */
  private readonly queues = new Map<string, Job[]>();
  private readonly inFlight = new Map<string, number>();
  /** Lanes each caller holds right now. */
  private readonly running = new Map<string, number>();
  private waitingCount = 0;

  constructor(
    private readonly open: () => Session,
    private readonly options: QueryPoolOptions,
  ) {}

  /** Every session opened so far, for close(). */
  get sessions(): Session[] {
    return this.lanes.map((lane) => lane.session);
  }

  /** Runs `work` on a session when `caller`'s turn comes; 429 when the caller (or everybody) has too many waiting. */
  run<T>(caller: string, work: (session: Session) => Promise<T>): Promise<T> {
    const mine = this.inFlight.get(caller) ?? 0;
    if (mine >= this.options.perCaller)
      throw tooMany(
        `this token already has ${this.options.perCaller} queries waiting or running: retry once one has answered`,
      );
    if (this.waitingCount >= this.options.waiting && this.idle.length === 0 && this.lanes.length >= this.options.size)
      throw tooMany(`${this.options.waiting} queries are already waiting on this server: retry in a moment`);
    this.inFlight.set(caller, mine + 1);
    return new Promise<T>((done, fail) => {
      const job: Job = { work, done: done as (value: unknown) => void, fail };
      const queue = this.queues.get(caller);
      if (queue) queue.push(job);
      else this.queues.set(caller, [job]);
      this.waitingCount++;
      this.dispatch();
    }).finally(() => {
      const left = (this.inFlight.get(caller) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(caller);
      else this.inFlight.set(caller, left);
    });
  }

  private dispatch(): void {
    for (;;) {
      // The first caller in turn that may take one more lane; none (or no lane free) ends the round.
      const next = [...this.queues].find(([caller]) => (this.running.get(caller) ?? 0) < this.perCallerLanes);
      if (!next) return;
      const lane = this.idle.pop() ?? this.openLane();
      if (!lane) return;
      const [caller, queue] = next;
      const job = queue.shift()!;
      // The caller goes to the back of the line.
      this.queues.delete(caller);
      if (queue.length > 0) this.queues.set(caller, queue);
      this.waitingCount--;
      this.running.set(caller, (this.running.get(caller) ?? 0) + 1);
      void lane
        .run(job.work)
        .then(job.done, job.fail)
        .finally(() => {
          const left = (this.running.get(caller) ?? 1) - 1;
          if (left === 0) this.running.delete(caller);
          else this.running.set(caller, left);
          this.idle.push(lane);
          this.dispatch();
        });
    }
  }

  /** Lanes one caller may hold at once: all but one, so another caller always finds one (a lone lane is shared). */
  private get perCallerLanes(): number {
    return Math.max(1, this.options.size - 1);
  }

  private openLane(): Lane | undefined {
    if (this.lanes.length >= this.options.size) return undefined;
    const lane = new Lane(this.open());
    this.lanes.push(lane);
    return lane;
  }
}

function tooMany(why: string): HttpError {
  return new HttpError(429, `Too many queries: ${why}`, DOC.limits, { 'Retry-After': '1' });
}
