// Rows for the service data sources (tinybird.pipe_stats_rt, endpoint_errors, datasources_ops_log), written in batches: a
// request adds a row in memory and the rows go to the engine once a second, so logging never slows an answer.

export type ServiceTable = 'pipe_stats_rt' | 'endpoint_errors' | 'datasources_ops_log';

/** Past this many waiting rows (the writer is far behind) the oldest wait no more: a log must not exhaust memory. */
const MAX_PENDING = 10_000;

export class ServiceLog {
  private pending = new Map<ServiceTable, Array<Record<string, unknown>>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dropped = 0;

  constructor(
    private readonly write: (table: ServiceTable, rows: Array<Record<string, unknown>>) => Promise<void>,
    private readonly log: (message: string) => void,
    private readonly delayMs = 1000,
  ) {}

  record(table: ServiceTable, row: Record<string, unknown>): void {
    const rows = this.pending.get(table) ?? [];
    rows.push(row);
    if (rows.length > MAX_PENDING) {
      rows.shift();
      if (this.dropped++ === 0) this.log(`The ${table} service log is behind; its oldest rows are left out`);
    }
    this.pending.set(table, rows);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes every waiting row now. A failed write is reported once in the server's log, never to a caller. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending];
    this.pending = new Map();
    for (const [table, rows] of batches) {
      try {
        await this.write(table, rows);
      } catch (error) {
        this.log(`Could not write ${rows.length} rows to tinybird.${table}: ${(error as Error).message}`);
      }
    }
  }
}
