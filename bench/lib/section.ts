export interface LocalTinybird {
  url: string;
  adminToken: string;
  workspaceId: string;
}

export type Cell = string | number;

export interface Table {
  caption?: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * A property the section promises. `must` (e.g. "403 responses = 0") makes `npm run bench` exit non-zero when it fails;
 * `goal` (e.g. a latency ratio, which depends on the machine) is only reported.
 */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  kind: 'must' | 'goal';
}

export interface SectionResult {
  /** What a user would otherwise pick, and how far ahead or behind we are, in one or two sentences. */
  summary: string;
  tables: Table[];
  checks: Check[];
  notes: string[];
  /** Raw figures for bench/results.json. */
  data: Record<string, unknown>;
}

export interface BenchContext {
  /** The one local server of this process (chDB allows one data dir per process), started on first use. */
  local(): Promise<LocalTinybird>;
  log(message: string): void;
}

export interface Section {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail, kind: 'must' };
}

export function goal(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail, kind: 'goal' };
}
